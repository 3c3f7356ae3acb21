import {
  type Action,
  callIdempotencyKey,
  type PauseRequest,
  pauseRequestForCall,
  type ToolGateOptions,
} from "@countersign/core";
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

function resolve<INPUT, VALUE>(value: FromInput<INPUT, VALUE> | undefined, input: INPUT): VALUE | undefined {
  return typeof value === "function" ? (value as (input: INPUT) => VALUE)(input) : value;
}

/** The options as the core gate reads them: recipients computed for this input. */
function gateOptions(options: ApprovalOptions<unknown>, input: unknown): ToolGateOptions<unknown> {
  const { recipients, when: _when, client: _client, ...rest } = options;
  const resolved = resolve(recipients, input);
  return { ...rest, framework: "ai-sdk", ...(resolved === undefined ? {} : { recipients: resolved }) };
}

/**
 * The pause request for a gated call, and the idempotency key that makes
 * opening it again return the same pause: the core gate's request (default
 * title from the tool and its key arguments, the arguments as a body, limits
 * applied), scoped to the SDK's approval id. Both are pure functions of the
 * call and the options, which is how the gated `execute` finds the pause later.
 */
export async function pauseRequestFor(
  options: ApprovalOptions<unknown>,
  call: GatedCall,
): Promise<BuiltPauseRequest> {
  const resolved = gateOptions(options, call.input);
  const toolCall = {
    toolName: call.toolName,
    callId: call.toolCallId,
    scope: call.approvalId,
    args: toActionData(call.input, call.toolCallId),
    context: { approval_id: call.approvalId },
  };
  const built = await pauseRequestForCall(resolved, toolCall, call.input);
  // The key leaves the arguments out: the approval id already names the call, and the
  // gated `execute` reads the input from a client-supplied history. Changed arguments must
  // conflict with the pause that was asked for, never open a second one in an inbox.
  const idempotencyKey = await callIdempotencyKey(resolved, { ...toolCall, args: {} });
  return { request: built.request, idempotencyKey };
}

/** The action an approver sees for a call of this tool with this input. */
export async function actionFor(
  options: ApprovalOptions<unknown>,
  call: Omit<GatedCall, "approvalId">,
): Promise<Action> {
  return (await pauseRequestFor(options, { ...call, approvalId: "" })).request.action;
}
