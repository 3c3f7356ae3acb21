import type { RunState, RunToolApprovalItem } from "@openai/agents";
import { type ApprovalGate, gateOf } from "./approval-gate.ts";
import type { ApprovalCall } from "./approval-options.ts";
import { parseToolArguments } from "./parse-tool-arguments.ts";
import { ensureRunScope } from "./run-scope.ts";

// biome-ignore lint/suspicious/noExplicitAny: any agent, any context.
export type AnyRunState = RunState<any, any>;

/** A run result (streamed or not) or its state, e.g. from `RunState.fromString`. */
export type ApprovalSource = AnyRunState | { readonly state: AnyRunState };

/** An interruption of a tool gated by `withApproval`. `call` is null when its arguments are not a JSON object. */
export interface GatedInterruption {
  item: RunToolApprovalItem;
  gate: ApprovalGate;
  toolName: string;
  callId: string;
  call: ApprovalCall | null;
}

export function stateOf(source: ApprovalSource): AnyRunState {
  return "state" in source && typeof source.state === "object" ? source.state : (source as AnyRunState);
}

/**
 * The interruptions this adapter answers: function calls of gated tools, each
 * scoped to its run. Others (hosted MCP, shell, tools without `withApproval`)
 * stay pending for the caller to approve or reject as usual.
 */
export function gatedInterruptions(state: AnyRunState): GatedInterruption[] {
  const found: GatedInterruption[] = [];
  for (const item of state.getInterruptions()) {
    const raw = item.rawItem;
    if (raw.type !== "function_call") continue;
    const tool = item.agent.tools.find(
      (candidate) => candidate.type === "function" && candidate.name === raw.name && gateOf(candidate),
    );
    const gate = gateOf(tool);
    if (gate === undefined) continue;
    const args = parseToolArguments(raw.arguments);
    const scope = ensureRunScope(state._context);
    found.push({
      item,
      gate,
      toolName: raw.name,
      callId: raw.callId,
      call: args === null ? null : { toolName: raw.name, callId: raw.callId, scope, args },
    });
  }
  return found;
}
