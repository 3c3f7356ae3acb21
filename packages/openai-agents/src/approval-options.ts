import type {
  Action,
  ActionData,
  Claim,
  JwkSet,
  Pause,
  PauseRequest,
  PublicJwk,
  Recipient,
} from "@countersign/core";
import type { RunContext } from "@openai/agents";

/**
 * The part of the Countersign client this adapter calls. `createClient(...)`
 * from `@countersign/core` satisfies it; tests may pass anything that does.
 */
export interface ApprovalClient {
  createPause(
    request: PauseRequest,
    options?: { idempotencyKey?: string; signal?: AbortSignal },
  ): Promise<Pause>;
  getPause(pauseId: string, options?: { waitSeconds?: number; signal?: AbortSignal }): Promise<Pause>;
  waitForDecision(pauseId: string, options?: { timeoutMs?: number; signal?: AbortSignal }): Promise<Pause>;
  claim(pauseId: string, options?: { proofId?: string; signal?: AbortSignal }): Promise<Claim>;
}

/** One function tool call, as Countersign sees it. */
export interface ApprovalCall<TArgs = ActionData> {
  toolName: string;
  callId: string;
  /** The call's arguments, parsed from the model's JSON. */
  args: TArgs;
}

/** What the approver reads; `data` is always the call's arguments. */
export type ActionDescription = Omit<Action, "data" | "type"> & { type?: string };

/** How a proof is checked offline: the proof secret (HMAC), the server's public keys (Ed25519), or both. */
export interface VerifyWith {
  secret?: string | readonly string[];
  keys?: JwkSet | readonly PublicJwk[];
}

export interface WithApprovalOptions<TArgs = ActionData> {
  client: ApprovalClient;
  /** Names the agent to approvers and in the audit log. */
  agentId: string;
  /** Proofs are verified with this before the tool runs. Required: no verified proof, no action. */
  verify: VerifyWith;
  /**
   * The policy: which calls need a human. Default: every call. Must be
   * deterministic for the same arguments, because the gated tool asks it again
   * right before it runs.
   */
  when?: (
    args: TArgs,
    context: { runContext: RunContext<unknown>; callId: string | undefined },
  ) => boolean | Promise<boolean>;
  /**
   * How the action reads to the approver. Default: `type` = the tool name, `title`
   * = the tool name with its arguments. A function must be deterministic: the
   * pause is re-opened idempotently with the same body right before the tool runs.
   */
  action?: ActionDescription | ((call: ApprovalCall<TArgs>) => ActionDescription);
  recipients?: Recipient[];
  /** Where the server POSTs the decision (Standard Webhooks), e.g. to resume from another process. */
  webhookUrl?: string;
  /** Seconds until an undecided pause expires (a reject). Server default when omitted. */
  expiresIn?: number;
  metadata?: PauseRequest["metadata"];
}
