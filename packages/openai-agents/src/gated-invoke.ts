import { CountersignError, isCountersignError } from "@countersign/core";
import type { FunctionTool } from "@openai/agents";
import type { ApprovalGate } from "./approval-gate.ts";
import { parseToolArguments } from "./pause-request.ts";

type Invoke = FunctionTool<unknown, never, unknown>["invoke"];

/**
 * The tool's `invoke`, behind the proof and the claim. The SDK runs an
 * approved call from whatever snapshot it is given, fresh, stale, replayed or
 * raced; this is where a call runs at most once and only as a human approved it:
 * 1. the call's pause (found again by its call id) must be approved, with a
 *    proof that verifies for exactly these arguments;
 * 2. the pause is claimed, once: a later claim means the call already ran;
 * 3. the tool runs with the approved arguments (the approver's edits, if any).
 */
export function gatedInvoke(toolName: string, invoke: Invoke, gate: ApprovalGate): Invoke {
  return async (runContext, input, details) => {
    const callId = details?.toolCall?.callId;
    const args = parseToolArguments(input);
    if (args === null) {
      throw new CountersignError(
        "invalid_request",
        `Tool ${toolName}: the arguments are not a JSON object, so no human approved them; not run`,
        { toolCallId: callId },
      );
    }
    if (!(await gate.applies(args, runContext, callId))) return invoke(runContext, input, details);
    if (callId === undefined) {
      throw new CountersignError(
        "invalid_request",
        `Tool ${toolName} was invoked without a tool call id; not run`,
      );
    }
    const signal = details?.signal;
    const opened = await gate.open({ toolName, callId, args }, signal);
    let pause = opened.pause;
    if (pause.status === "pending") pause = await gate.client.getPause(pause.pause_id, { signal });
    if (pause.status !== "approved") {
      throw new CountersignError(
        "not_approved",
        `Tool ${toolName} (call ${callId}) is approved in the run state, but its Countersign pause ${pause.pause_id} is ${pause.status}; not run. Resolve interruptions with resumeWithApprovals().`,
        { pauseId: pause.pause_id, toolCallId: callId },
      );
    }
    const verified = await gate.verify(pause, opened.action);
    try {
      await gate.client.claim(pause.pause_id, { proofId: verified.proof.proof_id, signal });
    } catch (error) {
      if (isCountersignError(error, "already_claimed")) {
        return `Not run again: this approved call (pause ${pause.pause_id}) has already been executed once.`;
      }
      throw error;
    }
    const approvedInput = verified.data === null ? input : JSON.stringify(verified.data);
    return invoke(runContext, approvedInput, details);
  };
}
