import type { ApprovalOptions } from "./approval-options.ts";
import { attachGate, createGate, requiresApproval } from "./gate.ts";
import { type ExecuteFunction, gateExecute } from "./gated-execute.ts";

/** The smallest tool shape `withApproval` accepts: any AI SDK `tool()` with an `execute`. */
export interface GateableTool {
  execute?: ExecuteFunction;
  inputSchema?: unknown;
  needsApproval?: unknown;
}

/** The input type of a tool, read from its `execute`. */
export type ToolInput<TOOL extends GateableTool> =
  NonNullable<TOOL["execute"]> extends (input: infer INPUT, ...rest: never[]) => unknown ? INPUT : unknown;

/**
 * Gates a tool behind a human decision in Countersign.
 *
 * The SDK stops at the call (`needsApproval`) and returns a
 * `tool-approval-request`; `resolveApprovals` (or the chat helper) opens the
 * pause and answers it; when the SDK then runs the tool, the gate checks the
 * signed proof for exactly this call, claims it (so a replay runs nothing),
 * and runs `execute` with the approved, possibly edited, arguments.
 */
export function withApproval<TOOL extends GateableTool>(
  tool: TOOL,
  options: ApprovalOptions<ToolInput<TOOL>>,
): TOOL {
  if (typeof tool.execute !== "function") {
    throw new TypeError(
      "withApproval needs a tool with an execute function: there is nothing to gate otherwise",
    );
  }
  const gate = createGate(options as ApprovalOptions<unknown>, tool.inputSchema);
  const gated = {
    ...tool,
    needsApproval: options.when ? (input: unknown) => requiresApproval(gate, input) : true,
    execute: gateExecute(gate, tool.execute),
  };
  return attachGate(gated, gate);
}
