import { CountersignError, ToolGateError } from "@countersign/core";
import type { FunctionTool } from "@openai/agents";
import type { ApprovalGate } from "./approval-gate.ts";
import { parseToolArguments } from "./parse-tool-arguments.ts";
import { runScopeOf } from "./run-scope.ts";

type Invoke = FunctionTool<unknown, never, unknown>["invoke"];

/**
 * The tool's `invoke`, behind the proof and the claim. The SDK runs an
 * approved call from whatever snapshot it is given, fresh, stale, replayed or
 * raced; this is where a call runs at most once and only as a human approved it:
 * 1. the call's pause (found again by its run, call id and arguments) must be
 *    decided, with a proof that verifies for exactly these arguments;
 * 2. the pause is claimed, once: a later claim means the call already ran;
 * 3. the tool runs with the approved arguments (the approver's edits, if any).
 * Countersign failures are thrown (the SDK wraps them in a `ToolCallError`):
 * the application sees them, the model is never told a story.
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
    const scope = runScopeOf(runContext);
    if (callId === undefined || scope === undefined) {
      throw new ToolGateError(
        "configuration",
        "not_approved",
        `${toolName} did not run: it was approved in the run state, but not through Countersign. Resolve interruptions with resumeWithApprovals().`,
        { toolName, ...(callId !== undefined && { toolCallId: callId }) },
      );
    }
    const signal = details?.signal;
    const call = { toolName, callId, scope, args };
    const opened = await gate.tool.open(call, { signal });
    const pause =
      opened.pause.status === "pending"
        ? await gate.tool.client.getPause(opened.pause.pause_id, { signal })
        : opened.pause;
    if (pause.status === "pending") {
      throw new ToolGateError(
        "configuration",
        "not_approved",
        `${toolName} (call ${callId}) did not run: it is approved in the run state, but its Countersign pause ${pause.pause_id} is pending. Resolve interruptions with resumeWithApprovals().`,
        { toolName, toolCallId: callId, pauseId: pause.pause_id },
      );
    }
    const outcome = await gate.tool.settle(opened, pause, { signal });
    if (outcome.kind !== "run") return outcome.message;
    return gate.tool.execute(outcome, async (approved) =>
      invoke(runContext, outcome.proof.data === null ? input : JSON.stringify(approved), details),
    );
  };
}
