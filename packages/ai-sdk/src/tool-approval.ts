import { gateOf, requiresApproval } from "./gate.ts";
import { actionFor } from "./pause-request.ts";

/** The subset of AI SDK 7's `ToolApprovalStatus` this adapter returns. */
export type GateApprovalStatus = "not-applicable" | { type: "user-approval"; reason?: string };

export type GateApprovalFunction = (
  input: unknown,
  options: { toolCallId: string },
) => Promise<GateApprovalStatus>;

/**
 * AI SDK 7 moved the approval policy from the tool to the call
 * (`toolApproval` on `generateText`, `streamText`, `ToolLoopAgent`). This
 * builds that configuration for every tool made with `withApproval`: a call
 * that needs a human becomes `user-approval`, with the approver's title as the
 * reason a UI can show. Tools without a gate are left out.
 *
 * ```ts
 * streamText({ model, tools, toolApproval: toolApprovalFor(tools) })
 * ```
 */
export function toolApprovalFor<TOOLS extends Record<string, unknown>>(
  tools: TOOLS,
): { [NAME in keyof TOOLS]?: GateApprovalFunction } {
  const configuration: { [NAME in keyof TOOLS]?: GateApprovalFunction } = {};
  for (const name of Object.keys(tools) as (keyof TOOLS & string)[]) {
    const gate = gateOf(tools[name]);
    if (!gate) continue;
    configuration[name] = async (input, { toolCallId }) => {
      if (!(await requiresApproval(gate, input))) return "not-applicable";
      const { title } = await actionFor(gate.options, { toolCallId, toolName: name, input });
      return title === undefined ? { type: "user-approval" } : { type: "user-approval", reason: title };
    };
  }
  return configuration;
}
