import type { AdapterOptions, Claim, Pause, PauseRequest, Recipient, VerifyWith } from "@countersign/core";

export type { VerifyWith };

/**
 * The part of the Countersign client this adapter calls. `createClient(...)`
 * from `@countersign/core` satisfies it.
 */
export interface ApprovalClient {
  createPause(
    request: PauseRequest,
    options?: { idempotencyKey?: string; signal?: AbortSignal },
  ): Promise<Pause>;
  getPause(pauseId: string, options?: { waitSeconds?: number; signal?: AbortSignal }): Promise<Pause>;
  waitForDecision(pauseId: string, options?: { timeoutMs?: number; signal?: AbortSignal }): Promise<Pause>;
  claim(pauseId: string, options?: { proofId?: string; signal?: AbortSignal }): Promise<Claim>;
  /** Records the execution receipt after the tool ran; without it, none is recorded. */
  recordReceipt?(
    pauseId: string,
    receipt: { outcome: "succeeded" | "failed"; resultDigest?: string; error?: string },
  ): Promise<unknown>;
}

/** A value, or a function of the tool input that computes it. */
export type FromInput<INPUT, VALUE> = VALUE | ((input: INPUT) => VALUE);

/**
 * How a tool is gated: the options every Countersign adapter takes
 * (`AdapterOptions` from `@countersign/core`, docs/adapters.md), plus the AI
 * SDK's own: `recipients` may be computed from the input, and `when` decides
 * which calls need a human. Every builder must be deterministic: the adapter
 * rebuilds the pause request when the approved call comes back and relies on
 * the server's idempotency (same key, same body) to find the same pause.
 */
export interface ApprovalOptions<INPUT = unknown>
  extends Omit<AdapterOptions<INPUT, ApprovalClient>, "recipients" | "metadata"> {
  /** Who to ask (Slack channel, e-mail, web inbox). The server's policy may route further. */
  recipients?: FromInput<INPUT, Recipient[]>;
  /** Only calls for which this returns true need approval; the others run at once. Default: every call. */
  when?: (input: INPUT) => boolean | PromiseLike<boolean>;
  metadata?: PauseRequest["metadata"];
}
