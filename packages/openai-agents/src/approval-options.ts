import type { ActionData, AdapterOptions, CountersignClient, VerifyWith } from "@countersign/core";
import type { RunContext } from "@openai/agents";

export { type FromArguments, resolveClient } from "@countersign/core";

/** The client calls the adapter makes (a `createClient(...)` result has them all). */
export type ApprovalClient = Pick<
  CountersignClient,
  "createPause" | "getPause" | "waitForDecision" | "claim" | "getKeys"
>;

/** One function tool call, as Countersign sees it. */
export interface ApprovalCall<Args = ActionData> {
  toolName: string;
  callId: string;
  /** The call's arguments, parsed from the model's JSON. */
  args: Args;
}

/**
 * The same options as the other Countersign adapters. Everything that goes
 * into the pause must be deterministic: the gated tool re-opens the pause
 * (idempotently, same body) right before it runs, in whichever process resumes.
 */
export interface WithApprovalOptions<Args = ActionData> extends AdapterOptions<Args, ApprovalClient> {
  /**
   * The policy: whether this call needs a human at all; `false` runs the tool at
   * once. Default: every call. Must be deterministic: the gated tool asks it again
   * right before it runs.
   */
  when?: (
    args: Args,
    context: { runContext: RunContext<unknown>; callId: string | undefined },
  ) => boolean | Promise<boolean>;
}

export type { VerifyWith };
