import type { ActionData, ToolGateOptions, VerifyWith } from "@countersign/core";
import type { RunContext } from "@openai/agents";

export type { FromArguments } from "@countersign/core";

/** One function tool call, as Countersign sees it. */
export interface ApprovalCall<Args = ActionData> {
  toolName: string;
  callId: string;
  /** The run the call belongs to (see run-scope.ts). */
  scope: string;
  /** The call's arguments, parsed from the model's JSON. */
  args: Args;
}

/**
 * The options every Countersign adapter takes (see docs/adapters.md), plus
 * `when`. Everything that goes into the pause must be deterministic: the gated
 * tool re-opens the pause (idempotently, same body) right before it runs, in
 * whichever process resumes.
 */
export interface WithApprovalOptions<Args = ActionData> extends Omit<ToolGateOptions<Args>, "framework"> {
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
