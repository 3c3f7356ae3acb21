import type { Action, ActionData, PauseRequest } from "@countersign/core";
import type { FromArguments, WithApprovalOptions } from "./approval-options.ts";

/** Where in a graph a gated call happens: what makes a re-run open no second pause. */
export interface CallSite {
  threadId: string;
  toolCallId: string;
  toolName: string;
}

const MAX_TITLE = 200;
const MAX_BODY = 20_000;

/** One thread, one tool call, one pause: a re-run of the node finds the same pause. */
export function idempotencyKey(site: CallSite): string {
  return `langgraph:${site.threadId}:${site.toolCallId}`;
}

/** The arguments as JSON: what the approver reads and what the proof's digest covers. */
export function toActionData(args: unknown): ActionData {
  const json: unknown = JSON.parse(JSON.stringify(args ?? {}));
  if (json !== null && typeof json === "object" && !Array.isArray(json)) return json as ActionData;
  return { input: json as ActionData[string] };
}

/**
 * The action exactly as it is sent. The same arguments always give the same
 * action, so the proof checked on resume is bound to this very call.
 */
export function buildAction<Args>(
  toolName: string,
  args: Args,
  data: ActionData,
  options: WithApprovalOptions<Args>,
): Action {
  const title = resolve(options.title, args) ?? `Run ${toolName}`;
  const body = resolve(options.body, args) ?? defaultBody(toolName, data);
  const risk = resolve(options.risk, args);
  const action: Action = {
    type: options.actionType ?? toolName,
    title: truncate(title, MAX_TITLE),
    body: truncate(body, MAX_BODY),
    data,
  };
  if (risk !== undefined) action.risk = risk;
  return action;
}

export function buildPauseRequest<Args>(
  action: Action,
  site: CallSite,
  options: WithApprovalOptions<Args>,
): PauseRequest {
  const request: PauseRequest = {
    agent_id: options.agentId,
    action,
    context: {
      framework: "langgraph",
      thread_id: site.threadId,
      tool_call_id: site.toolCallId,
      tool_name: site.toolName,
    },
  };
  if (options.recipients !== undefined) request.recipients = options.recipients;
  if (options.expiresIn !== undefined) request.expires_in = options.expiresIn;
  if (options.webhookUrl !== undefined) request.webhook_url = options.webhookUrl;
  if (options.metadata !== undefined) request.metadata = options.metadata;
  return request;
}

function resolve<Value, Args>(value: FromArguments<Value, Args> | undefined, args: Args): Value | undefined {
  return typeof value === "function" ? (value as (args: Args) => Value)(args) : value;
}

function defaultBody(toolName: string, data: ActionData): string {
  const lines = Object.entries(data).map(([key, value]) => `- **${key}**: ${formatValue(value)}`);
  return [`The agent wants to run \`${toolName}\` with:`, "", ...lines].join("\n");
}

function formatValue(value: unknown): string {
  return typeof value === "string" ? value : `\`${JSON.stringify(value)}\``;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
