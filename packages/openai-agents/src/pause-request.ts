import { type Action, type ActionData, type PauseRequest, sha256Hex } from "@countersign/core";
import type { ApprovalCall, FromArguments, WithApprovalOptions } from "./approval-options.ts";

export const FRAMEWORK = "openai-agents";

const MAX_TITLE = 200;
const MAX_BODY = 20_000;
const MAX_IDEMPOTENCY_KEY = 255;

/** The request that opens the pause for one call, and the action its proof must be bound to. */
export interface PauseRequestForCall {
  request: PauseRequest;
  /** Exactly `request.action`: what `verifyProof` compares the proof's digest with. */
  action: Action;
  /** Same call → same key → the same pause, in any process. */
  idempotencyKey: string;
}

/**
 * Builds the pause request for a call. The helper that opens pauses and the
 * gated tool that claims them both call this, so they agree byte for byte:
 * the server answers a repeated key and body with the pause it already has.
 */
export async function pauseRequestFor(
  options: WithApprovalOptions,
  call: ApprovalCall,
): Promise<PauseRequestForCall> {
  const risk = resolve(options.risk, call.args);
  const action: Action = {
    type: options.actionType ?? call.toolName,
    title: truncate(resolve(options.title, call.args) ?? `Run ${call.toolName}`, MAX_TITLE),
    body: truncate(resolve(options.body, call.args) ?? defaultBody(call), MAX_BODY),
    data: call.args,
  };
  if (risk !== undefined) action.risk = risk;
  const request: PauseRequest = {
    agent_id: options.agentId,
    action,
    context: { framework: FRAMEWORK, tool_name: call.toolName, tool_call_id: call.callId },
  };
  if (options.recipients !== undefined) request.recipients = options.recipients;
  if (options.expiresIn !== undefined) request.expires_in = options.expiresIn;
  if (options.webhookUrl !== undefined) request.webhook_url = options.webhookUrl;
  if (options.metadata !== undefined) request.metadata = options.metadata;
  return { request, action, idempotencyKey: await idempotencyKeyFor(options.agentId, call) };
}

/** The model's argument string as an action's data; `null` when it is not a JSON object. */
export function parseToolArguments(raw: string | undefined): ActionData | null {
  if (raw === undefined) return null;
  let value: unknown;
  try {
    value = JSON.parse(raw === "" ? "{}" : raw);
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return null;
  return value as ActionData;
}

/** `openai-agents:<agent>:<tool>:<call id>`, or its SHA-256 when that is longer than the server accepts. */
async function idempotencyKeyFor(agentId: string, call: ApprovalCall): Promise<string> {
  const key = `${FRAMEWORK}:${agentId}:${call.toolName}:${call.callId}`;
  if (key.length <= MAX_IDEMPOTENCY_KEY) return key;
  return `${FRAMEWORK}:sha256:${await sha256Hex(key)}`;
}

function resolve<Value>(
  value: FromArguments<Value, ActionData> | undefined,
  args: ActionData,
): Value | undefined {
  return typeof value === "function" ? (value as (args: ActionData) => Value)(args) : value;
}

function defaultBody(call: ApprovalCall): string {
  const lines = Object.entries(call.args).map(([key, value]) => `- **${key}**: ${formatValue(value)}`);
  return [`The agent wants to run \`${call.toolName}\` with:`, "", ...lines].join("\n");
}

function formatValue(value: unknown): string {
  return typeof value === "string" ? value : `\`${JSON.stringify(value)}\``;
}

function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max - 1);
  // Never end on half a surrogate pair: the action is hashed as canonical JSON.
  if (!cut.isWellFormed()) cut = cut.slice(0, -1);
  return `${cut}…`;
}
