import { type Action, type PauseRequest, sha256Hex } from "@countersign/core";
import { toActionData } from "./action-data.ts";
import type { ApprovalOptions, FromInput } from "./approval-options.ts";

/** One gated tool call waiting for a human: the SDK's approval id and the call it is for. */
export interface GatedCall {
  approvalId: string;
  toolCallId: string;
  toolName: string;
  input: unknown;
}

export interface BuiltPauseRequest {
  request: PauseRequest & { action: Action };
  idempotencyKey: string;
}

const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

function resolve<INPUT, VALUE>(value: FromInput<INPUT, VALUE> | undefined, input: INPUT): VALUE | undefined {
  return typeof value === "function" ? (value as (input: INPUT) => VALUE)(input) : value;
}

/** The action an approver sees for a call of this tool with this input. */
export function actionFor(options: ApprovalOptions<unknown>, call: Omit<GatedCall, "approvalId">): Action {
  const { input } = call;
  const action: Action = {
    type: options.actionType ?? call.toolName,
    title: resolve(options.title, input) ?? `Run ${call.toolName}`,
    data: toActionData(input, call.toolCallId),
  };
  const description = resolve(options.description, input);
  if (description !== undefined) action.description = description;
  const body = resolve(options.body, input);
  if (body !== undefined) action.body = body;
  const risk = resolve(options.risk, input);
  if (risk !== undefined) action.risk = risk;
  return action;
}

/**
 * The pause request for a gated call, and the idempotency key that makes
 * opening it again return the same pause. Both are pure functions of the call
 * and the options, which is how the gated `execute` finds the pause later.
 */
export async function pauseRequestFor(
  options: ApprovalOptions<unknown>,
  call: GatedCall,
): Promise<BuiltPauseRequest> {
  const request: BuiltPauseRequest["request"] = {
    agent_id: options.agentId,
    action: actionFor(options, call),
    context: {
      framework: "ai-sdk",
      tool_name: call.toolName,
      tool_call_id: call.toolCallId,
      approval_id: call.approvalId,
    },
  };
  const recipients = resolve(options.recipients, call.input);
  if (recipients !== undefined) request.recipients = recipients;
  if (options.expiresIn !== undefined) request.expires_in = options.expiresIn;
  if (options.webhookUrl !== undefined) request.webhook_url = options.webhookUrl;
  if (options.metadata !== undefined) request.metadata = options.metadata;
  return { request, idempotencyKey: await idempotencyKeyFor(call) };
}

async function idempotencyKeyFor(call: GatedCall): Promise<string> {
  const key = `ai-sdk:${call.approvalId}:${call.toolCallId}`;
  if (key.length <= MAX_IDEMPOTENCY_KEY_LENGTH) return key;
  return `ai-sdk:sha256:${await sha256Hex(`${call.approvalId}\n${call.toolCallId}`)}`;
}
