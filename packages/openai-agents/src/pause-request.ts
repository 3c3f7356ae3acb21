import { type Action, type ActionData, type PauseRequest, sha256Hex } from "@countersign/core";
import type { ApprovalCall, WithApprovalOptions } from "./approval-options.ts";

export const FRAMEWORK = "openai-agents";

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
  const described = typeof options.action === "function" ? options.action(call) : options.action;
  const action = withoutUndefined({
    type: described?.type ?? call.toolName,
    title: described?.title ?? defaultTitle(call),
    description: described?.description,
    body: described?.body,
    risk: described?.risk,
    data: call.args,
  }) as Action;
  const request = withoutUndefined({
    agent_id: options.agentId,
    action,
    recipients: options.recipients,
    webhook_url: options.webhookUrl,
    expires_in: options.expiresIn,
    context: { framework: FRAMEWORK, tool_name: call.toolName, tool_call_id: call.callId },
    metadata: options.metadata,
  }) as PauseRequest;
  return { request, action, idempotencyKey: await idempotencyKeyFor(options.agentId, call) };
}

const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

/** `openai-agents:<agent>:<tool>:<call id>`, or its SHA-256 when that is longer than the server accepts. */
async function idempotencyKeyFor(agentId: string, call: ApprovalCall): Promise<string> {
  const key = `${FRAMEWORK}:${agentId}:${call.toolName}:${call.callId}`;
  if (key.length <= MAX_IDEMPOTENCY_KEY_LENGTH) return key;
  return `${FRAMEWORK}:sha256:${await sha256Hex(key)}`;
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

function defaultTitle(call: ApprovalCall): string {
  const title = `${call.toolName}(${JSON.stringify(call.args)})`;
  if (title.length <= 200) return title;
  let cut = title.slice(0, 199);
  // Never end on half a surrogate pair: the title is hashed as canonical JSON.
  if (!cut.isWellFormed()) cut = cut.slice(0, -1);
  return `${cut}…`;
}

function withoutUndefined<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as T;
}
