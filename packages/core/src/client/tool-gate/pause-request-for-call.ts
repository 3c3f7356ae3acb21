import { canonicalJson } from "../../proof/canonical-json.ts";
import { sha256Hex } from "../../proof/encoding.ts";
import type { Action } from "../../protocol/action.ts";
import {
  MAX_ACTION_BODY,
  MAX_ACTION_DESCRIPTION,
  MAX_ACTION_TITLE,
  MAX_IDEMPOTENCY_KEY,
} from "../../protocol/limits.ts";
import type { PauseRequest } from "../../protocol/pause-request.ts";
import type { FromArguments } from "../adapter-options.ts";
import { defaultBody } from "./call-body.ts";
import { defaultTitle, fillTitleTemplate } from "./call-title.ts";
import type { ToolCall } from "./tool-call.ts";
import type { ToolGateOptions } from "./tool-gate-options.ts";
import { truncate } from "./truncate.ts";

/** The request that opens the pause for one call, and what its proof must be bound to. */
export interface CallRequest {
  request: PauseRequest & { action: Action };
  /** Exactly `request.action`: the proof's digest must match it. */
  action: Action;
  /** Same scope, call and arguments → same key → the same pause, in any process. */
  idempotencyKey: string;
}

/**
 * Builds the pause request for a call: the same call and options always give
 * the same request byte for byte, which is how a resume (here or in another
 * process) finds the pause it opened.
 */
export async function pauseRequestForCall<Args>(
  options: ToolGateOptions<Args>,
  call: ToolCall,
  typedArgs: Args,
): Promise<CallRequest> {
  const title =
    resolve(options.title, typedArgs) ??
    (options.titleTemplate === undefined ? undefined : fillTitleTemplate(options.titleTemplate, call.args)) ??
    defaultTitle(call.toolName, call.args);
  const action: Action = {
    type: options.actionType ?? call.toolName,
    title: truncate(title, MAX_ACTION_TITLE),
    body: truncate(
      resolve(options.body, typedArgs) ?? defaultBody(call.toolName, call.args),
      MAX_ACTION_BODY,
    ),
    data: call.args,
  };
  const description = resolve(options.description, typedArgs);
  if (description !== undefined) action.description = truncate(description, MAX_ACTION_DESCRIPTION);
  const risk = resolve(options.risk, typedArgs);
  if (risk !== undefined) action.risk = risk;
  const request: CallRequest["request"] = {
    agent_id: options.agentId,
    action,
    context: {
      ...call.context,
      framework: options.framework,
      scope: call.scope,
      tool_name: call.toolName,
      tool_call_id: call.callId,
    },
  };
  if (options.recipients !== undefined) request.recipients = options.recipients;
  if (options.expiresIn !== undefined) request.expires_in = options.expiresIn;
  if (options.webhookUrl !== undefined) request.webhook_url = options.webhookUrl;
  if (options.metadata !== undefined) request.metadata = options.metadata;
  return { request, action, idempotencyKey: await callIdempotencyKey(options, call) };
}

/**
 * `<framework>:<sha256>` over the agent, the scope (run or thread), the tool,
 * the call id and the digest of the arguments: a repeated call id in another
 * run, or the same id with other arguments, opens a new pause instead of
 * reusing (or conflicting with) an earlier one.
 */
export async function callIdempotencyKey(
  options: { framework: string; agentId: string },
  call: ToolCall,
): Promise<string> {
  const argumentsDigest = await sha256Hex(canonicalJson(call.args));
  const identity = canonicalJson([options.agentId, call.scope, call.toolName, call.callId, argumentsDigest]);
  return `${options.framework}:${await sha256Hex(identity)}`.slice(0, MAX_IDEMPOTENCY_KEY);
}

function resolve<Value, Args>(value: FromArguments<Value, Args> | undefined, args: Args): Value | undefined {
  return typeof value === "function" ? (value as (args: Args) => Value)(args) : value;
}
