import type { ActionData } from "@countersign/core";
import type { FunctionTool, ToolExecuteArgument, ToolInputParameters } from "@openai/agents";
import { attachGate, createApprovalGate, gateOf } from "./approval-gate.ts";
import type { WithApprovalOptions } from "./approval-options.ts";
import { gatedInvoke } from "./gated-invoke.ts";
import { ensureRunScope } from "./run-scope.ts";

/**
 * Gates a function tool behind Countersign: `needsApproval` comes from the
 * `when` policy (default: every call), and the tool runs only with a verified,
 * claimed approval for that exact call. Resolve the run's interruptions with
 * `resumeWithApprovals(agent, result)`.
 *
 * @example
 * const pay = withApproval(payInvoice, { url, apiKey, agentId: "billing-agent", verify: { keys } });
 */
export function withApproval<Context, TParameters extends ToolInputParameters, Result>(
  tool: FunctionTool<Context, TParameters, Result>,
  options: WithApprovalOptions<ToolExecuteArgument<TParameters>>,
): FunctionTool<Context, TParameters, Result> {
  if (gateOf(tool) !== undefined) {
    throw new TypeError(`Tool ${tool.name} is already gated by withApproval(); wrap it once`);
  }
  // At run time the arguments are the model's parsed JSON object.
  const gate = createApprovalGate(options as unknown as WithApprovalOptions<ActionData>);
  const needsApproval: FunctionTool<Context, TParameters, Result>["needsApproval"] = async (
    runContext,
    input,
    callId,
  ) => {
    // A call whose arguments are not a JSON object cannot be shown or bound to a
    // proof: it is sent to the helper, which rejects it with a message to the model.
    const needed =
      typeof input !== "object" ||
      input === null ||
      Array.isArray(input) ||
      (await gate.applies(input as ActionData, runContext as never, callId));
    // The run stops here: give it the scope its pauses are keyed by, saved with its state.
    if (needed) ensureRunScope(runContext);
    return needed;
  };
  const gated: FunctionTool<Context, TParameters, Result> = {
    ...tool,
    needsApproval,
    invoke: gatedInvoke(tool.name, tool.invoke as never, gate) as FunctionTool<
      Context,
      TParameters,
      Result
    >["invoke"],
  };
  return attachGate(gated, gate);
}
