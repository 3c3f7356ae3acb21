import type { CountersignClient, ToolGateOptions } from "@countersign/core";

export { type FromArguments, resolveClient } from "@countersign/core";

/** The client calls the adapter makes (a `createClient(...)` result has them all). */
export type ApprovalClient = Pick<
  CountersignClient,
  "createPause" | "getPause" | "waitForDecision" | "claim" | "cancel" | "getKeys"
>;

/**
 * The options of every Countersign adapter (docs/adapters.md), and LangGraph's
 * `when`. `title` must be deterministic: a re-run of the node sends it again.
 */
export interface WithApprovalOptions<Args = Record<string, unknown>>
  extends Omit<ToolGateOptions<Args>, "framework"> {
  /**
   * Whether this call needs approval at all; `false` runs the tool at once.
   * Must be deterministic: it is asked again when the node re-runs on resume.
   */
  when?: (args: Args) => boolean | Promise<boolean>;
}
