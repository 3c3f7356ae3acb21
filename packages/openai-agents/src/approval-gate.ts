import { type ActionData, createToolGate, type ToolGate } from "@countersign/core";
import type { RunContext } from "@openai/agents";
import type { WithApprovalOptions } from "./approval-options.ts";

export const FRAMEWORK = "openai-agents";

/**
 * What `withApproval` attaches to a tool: its options, the `when` policy, and
 * the core tool gate the helpers and the gated `invoke` share, so both open
 * the same pause and check the same action.
 */
export interface ApprovalGate {
  readonly options: WithApprovalOptions;
  readonly tool: ToolGate;
  /** The policy: does this call wait for a human? */
  applies(args: ActionData, runContext: RunContext<unknown>, callId: string | undefined): Promise<boolean>;
}

const GATE = Symbol.for("countersign.openai-agents.approval-gate");

export function createApprovalGate(options: WithApprovalOptions): ApprovalGate {
  const tool = createToolGate({ ...options, framework: FRAMEWORK });
  return {
    options,
    tool,
    async applies(args, runContext, callId) {
      if (options.when === undefined) return true;
      return (await options.when(args, { runContext, callId })) === true;
    },
  };
}

/** Marks a tool as gated. An own, enumerable symbol: it survives the SDK's shallow tool copies. */
export function attachGate<T extends object>(tool: T, gate: ApprovalGate): T {
  Object.defineProperty(tool, GATE, { value: gate, enumerable: true });
  return tool;
}

export function gateOf(tool: unknown): ApprovalGate | undefined {
  if (typeof tool !== "object" || tool === null) return undefined;
  return (tool as { [GATE]?: ApprovalGate })[GATE];
}
