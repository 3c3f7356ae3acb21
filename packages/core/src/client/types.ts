import type { Action, ActionData } from "../protocol/action.ts";
import type { JwkSet, PublicJwk } from "../protocol/keys.ts";
import type { Claim, Pause, PauseList, PauseStatus } from "../protocol/pause.ts";
import type { PauseRequest } from "../protocol/pause-request.ts";
import type { Proof } from "../protocol/proof.ts";
import type { ExecutionOutcome } from "../protocol/receipt.ts";

/** The `fetch` the client calls: the global one unless injected (tests, proxies, custom agents). */
export type FetchFunction = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface ClientOptions {
  /** Where the Countersign server listens, e.g. `https://countersign.acme.com`. */
  baseUrl: string;
  /** A Bearer API key (`agent`, `approver` or `admin` role). */
  apiKey: string;
  fetch?: FetchFunction;
  /** Per-request timeout in milliseconds. Default 10 000; a long-poll gets its wait on top. */
  timeoutMs?: number;
  userAgent?: string;
}

/** Every call accepts a signal; aborting it rejects the call with code `timeout`. */
export interface SignalOption {
  signal?: AbortSignal;
}

export interface CreatePauseOptions extends SignalOption {
  /** Same key + same body → the same pause. Generated when omitted, and reused for the one retry. */
  idempotencyKey?: string;
}

export interface GetPauseOptions extends SignalOption {
  /** Long-poll: the server answers as soon as the pause is decided, or after this many seconds (0–60). */
  waitSeconds?: number;
}

export type WaitTransport = "poll" | "sse";

export interface WaitForDecisionOptions extends SignalOption {
  /** Overall limit in milliseconds; then the wait fails with code `timeout`. Default: until the pause is decided or expires. */
  timeoutMs?: number;
  /** `poll` (default): repeated long-polls. `sse`: the pause's Server-Sent Events stream. */
  transport?: WaitTransport;
}

/**
 * The trust anchors a proof is checked with. Pin them: the proof secret
 * (HMAC), the server's public keys saved once (`countersign keys jwks`, or
 * the `COUNTERSIGN_JWKS` environment variable), or key thumbprints. Trusting
 * whatever keys the server serves is an explicit opt-in.
 */
export interface VerifyWith {
  secret?: string | readonly string[];
  /** Pinned Ed25519 public keys: a JWK set saved from `GET /v1/keys` ahead of time. */
  keys?: JwkSet | readonly PublicJwk[];
  /** RFC 7638 thumbprints of the accepted keys: the server's keys are fetched, and only these are used. */
  thumbprints?: readonly string[];
  /**
   * Trust on first use: verify with whatever keys the server serves. A
   * server (or whoever answers in its place) could then approve anything;
   * use it only where the connection to the server is itself trusted.
   */
  trustServerKeys?: boolean;
}

export interface VerifyDecisionOptions extends VerifyWith {
  /** The action as the agent requested it. Default: the pause's own action (then the proof vouches for it). */
  action?: Action;
}

export interface RequestApprovalOptions extends SignalOption {
  verify: VerifyWith;
  idempotencyKey?: string;
  /** Overall limit for opening the pause and waiting for the decision. */
  timeoutMs?: number;
  transport?: WaitTransport;
}

export interface ApprovalResult {
  /** True only when a verified proof says `approved` for this pause and this action. */
  approved: boolean;
  status: "approved" | "rejected" | "expired" | "cancelled";
  pause: Pause;
  /** The verified proof; `null` for a cancelled pause. */
  proof: Proof | null;
  reason: string | null;
  /** The arguments to run with: the approver's edits, else the requested `action.data`. */
  data: ActionData | undefined;
}

export interface ClaimOptions extends SignalOption {
  proofId?: string;
}

/** How a claimed action ended: the body of `POST /v1/pauses/{id}/receipt`. */
export interface RecordReceiptOptions extends SignalOption {
  outcome: ExecutionOutcome;
  /** `sha256:<hex>` of the result's canonical JSON; `resultDigest(result)` computes it. */
  resultDigest?: string;
  /** What went wrong (with `outcome: "failed"` only). */
  error?: string;
}

export interface CancelOptions extends SignalOption {
  reason?: string;
}

export interface DecideOptions extends SignalOption {
  decision: "approve" | "reject";
  reason?: string;
  /** Edited arguments (approve with edits). */
  data?: ActionData;
}

export interface ListPausesOptions extends SignalOption {
  status?: PauseStatus;
  agent_id?: string;
  action_type?: string;
  limit?: number;
  cursor?: string;
  /** `"true"`: claimed pauses with no receipt yet (reconciliation). */
  claimed_without_receipt?: "true" | "false";
  /** With `claimed_without_receipt`: claimed at least this long ago (`15m`, `2h`) or before this ISO instant. */
  older_than?: string;
}

export interface CountersignClient {
  createPause(request: PauseRequest, options?: CreatePauseOptions): Promise<Pause>;
  getPause(pauseId: string, options?: GetPauseOptions): Promise<Pause>;
  /** Resolves once the pause is no longer `pending`. */
  waitForDecision(pauseId: string, options?: WaitForDecisionOptions): Promise<Pause>;
  /** Opens a pause, waits for the decision and verifies its proof. */
  requestApproval(request: PauseRequest, options: RequestApprovalOptions): Promise<ApprovalResult>;
  verifyDecision(pause: Pause, options?: VerifyDecisionOptions): Promise<ApprovalResult>;
  /** Single-use execution claim; every later caller gets code `already_claimed`. */
  claim(pauseId: string, options?: ClaimOptions): Promise<Claim>;
  /**
   * Reports, once, how the claimed action ended (by the key that claimed it);
   * the server signs the receipt and returns the pause with `execution`.
   * Later calls get code `already_reported`. Never retried.
   */
  recordReceipt(pauseId: string, receipt: RecordReceiptOptions): Promise<Pause>;
  cancel(pauseId: string, options?: CancelOptions): Promise<Pause>;
  /** Decides a pending pause (approver key). */
  decide(pauseId: string, options: DecideOptions): Promise<Pause>;
  listPauses(options?: ListPausesOptions): Promise<PauseList>;
  getKeys(options?: SignalOption): Promise<JwkSet>;
}
