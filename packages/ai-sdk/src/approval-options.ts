import type {
  Claim,
  Pause,
  PauseRequest,
  ReceiptErrorHandler,
  Recipient,
  Risk,
  VerifyWith,
} from "@countersign/core";

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
 * How a tool is gated. Every builder must be deterministic: the adapter
 * rebuilds the pause request when the approved call comes back and relies on
 * the server's idempotency (same key, same body) to find the same pause.
 */
export interface ApprovalOptions<INPUT = unknown> {
  /** A Countersign client holding an `agent` key. Or give `url` and `apiKey`. */
  client?: ApprovalClient;
  /** The Countersign server, when no `client` is given. */
  url?: string;
  /** An agent API key, when no `client` is given. */
  apiKey?: string;
  /** Who is asking, as approvers see it (`agent_id`). */
  agentId: string;
  /**
   * Told when the execution receipt could not be recorded after the tool ran
   * (the tool's result stands). Default: a warning on stderr.
   */
  onReceiptError?: ReceiptErrorHandler;
  /**
   * Who spends the approval: the adapter (default: it claims once and records
   * the receipt), or a proof-gated `"service"` where the action happens, which
   * claims and records the receipt itself; the tool forwards
   * `approvedCall().headers` (from `@countersign/core`) to it.
   */
  claimedBy?: "adapter" | "service";
  /** `action.type`; defaults to the tool's name. */
  actionType?: string;
  /** One line an approver reads first. Defaults to `Run <tool name>`. */
  title?: FromInput<INPUT, string>;
  description?: FromInput<INPUT, string>;
  /** Markdown preview for the approver. */
  body?: FromInput<INPUT, string>;
  risk?: FromInput<INPUT, Risk>;
  /** Who to ask (Slack channel, e-mail, web inbox). The server's policy may route further. */
  recipients?: FromInput<INPUT, Recipient[]>;
  /** Only calls for which this returns true need approval; the others run at once. Default: every call. */
  when?: (input: INPUT) => boolean | PromiseLike<boolean>;
  /** Seconds until an undecided pause expires (a denial). Server default when omitted. */
  expiresIn?: number;
  webhookUrl?: string;
  metadata?: PauseRequest["metadata"];
  /**
   * What proofs are verified with before the tool runs. Required: no verified
   * proof, no action. `{ keys }` (pinned JWK set), `{ thumbprints }`, `{ secret }`,
   * or `COUNTERSIGN_JWKS`; `{ trustServerKeys: true }` is the explicit opt-in.
   */
  verify?: VerifyWith;
}
