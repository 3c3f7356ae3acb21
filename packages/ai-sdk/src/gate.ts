import { type CheckProof, createProofChecker, resolveClient } from "@countersign/core";
import type { ApprovalClient, ApprovalOptions } from "./approval-options.ts";

const GATE = Symbol.for("@countersign/ai-sdk/gate");

/** What `withApproval` attaches to a tool, so the helpers can find its options by tool name. */
export interface Gate {
  /** Typed for any input: the gate only calls the builders with its own tool's input. */
  options: ApprovalOptions<unknown>;
  /** The tool's input schema, to validate arguments an approver edited. */
  inputSchema: unknown;
  /** The given client, or one made from `url` and `apiKey`. */
  client: ApprovalClient;
  /** Checks proofs against the pinned trust anchors (`verify`). */
  checkProof: CheckProof;
}

/** Builds a gate; throws at once without a client or a trust anchor. */
export function createGate(options: ApprovalOptions<unknown>, inputSchema: unknown): Gate {
  const client = resolveClient(options) as ApprovalClient;
  const checkProof = createProofChecker(options.verify, client as never, { require: "decided" });
  return { options, inputSchema, client, checkProof };
}

/** An own, enumerable symbol: it survives shallow copies of the tool (`{ ...tool }`). */
export function attachGate<TOOL extends object>(tool: TOOL, gate: Gate): TOOL {
  Object.defineProperty(tool, GATE, { value: gate, enumerable: true });
  return tool;
}

export function gateOf(tool: unknown): Gate | undefined {
  if (typeof tool !== "object" || tool === null) return undefined;
  return (tool as { [GATE]?: Gate })[GATE];
}

/** The gate of `tools[toolName]`, looked up as an own property (tool names come from the model). */
export function gateFor(tools: Record<string, unknown>, toolName: string): Gate | undefined {
  return Object.hasOwn(tools, toolName) ? gateOf(tools[toolName]) : undefined;
}

/** Whether this call needs a human: the `when` predicate, or always. */
export async function requiresApproval(gate: Gate, input: unknown): Promise<boolean> {
  return gate.options.when ? Boolean(await gate.options.when(input)) : true;
}
