import { canonicalJson, gateFailure, type Pause, type ToolGate, ToolGateError } from "@countersign/core";
import { HITL_PAUSES_KEY, type HitlPauses } from "./hitl-shapes.ts";
import { toActionData } from "./pause-request.ts";
import { alreadyRanMessage, refusalMessage } from "./tool-messages.ts";

/** What `wrapToolCall` receives from `createAgent`'s ToolNode (the parts used here). */
export interface ToolCallRequest {
  toolCall: { id?: string; name: string; args?: unknown; type?: string };
  state?: Record<string, unknown>;
  runtime?: { configurable?: Record<string, unknown> };
}

/** The pause `reviewHitlRequest` recorded for this tool call, if it reviewed it. */
export function reviewedPauseOf(request: ToolCallRequest): string | undefined {
  const pauses = request.state?.[HITL_PAUSES_KEY] as HitlPauses | undefined;
  const id = request.toolCall.id;
  if (id === undefined || typeof pauses !== "object" || pauses === null) return undefined;
  return Object.hasOwn(pauses, id) ? pauses[id] : undefined;
}

/**
 * Runs a tool call that `humanInTheLoopMiddleware` let through on a Countersign
 * approval: reads the pause, checks it is this thread's and this call's,
 * verifies its proof with the pinned keys, checks the call carries exactly
 * the approved arguments, claims it, and only then runs the tool. A claim
 * that is already spent (the same `Command` replayed from a checkpoint, or
 * sent twice) answers "already ran" and the tool does not run again.
 */
export async function runReviewedCall(
  gate: ToolGate,
  request: ToolCallRequest,
  pauseId: string,
  handler: (request: ToolCallRequest) => Promise<unknown>,
): Promise<unknown> {
  const { toolCall } = request;
  const threadId = request.runtime?.configurable?.thread_id;
  const site = { toolName: toolCall.name, toolCallId: toolCall.id ?? "", threadId: String(threadId) };
  const call = {
    toolName: site.toolName,
    callId: site.toolCallId,
    scope: site.threadId,
    args: toActionData(toolCall.args),
  };
  let pause: Pause;
  try {
    pause = await gate.client.getPause(pauseId);
  } catch (error) {
    throw gateFailure(error, call, pauseId);
  }
  const context = pause.context;
  if (
    context.thread_id !== threadId ||
    context.tool_call_id !== toolCall.id ||
    context.tool_name !== toolCall.name
  ) {
    throw new ToolGateError(
      "security",
      "proof_wrong_pause",
      `${call.toolName} (call ${call.callId}) did not run: pause ${pauseId} was opened for another tool call`,
      { toolName: call.toolName, toolCallId: call.callId, pauseId },
    );
  }
  const verdict = await gate.verify({ call, pause, action: pause.action }, pause);
  if (verdict.kind === "refuse") return refusalMessage(site, verdict.refusal);
  if (canonicalJson(verdict.args) !== canonicalJson(call.args)) {
    throw new ToolGateError(
      "security",
      "proof_mismatch",
      `${call.toolName} (call ${call.callId}) did not run: its arguments are not the ones approved in pause ${pauseId}`,
      { toolName: call.toolName, toolCallId: call.callId, pauseId },
    );
  }
  const outcome = await gate.claim(verdict);
  if (outcome.kind === "already-ran") return alreadyRanMessage(site, pauseId);
  if (outcome.kind === "refuse") return refusalMessage(site, outcome.refusal);
  return gate.execute(outcome, (args) => handler({ ...request, toolCall: { ...toolCall, args } }));
}
