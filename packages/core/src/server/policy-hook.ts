import type { ParsedPauseRequest, Recipient } from "../protocol/pause-request.ts";

/** What a policy decides for a new pause (governance plugs its engine in here). */
export interface PolicyDecision {
  outcome: "auto_approve" | "deny" | "require" | "sample";
  /**
   * `outcome: sample`: people see `rate` of these pauses; the server draws per
   * pause from `seed` (see governance/sampling.ts) and records the draw.
   */
  sample?: { rate: number; seed: string };
  /** The rule that fired; recorded with the pause and named in the proof. */
  rule: string;
  /** The policy version (e.g. a hash of the file). */
  version: string;
  /** Recipients to notify, replacing the request's (a policy may add the request's own). */
  recipients?: Recipient[];
  expiresInSeconds?: number;
  /** Anything else to record with the pause for routing (approvers, quorum, escalation). */
  routing?: Record<string, unknown>;
  /** Reason stated in an automatic decision. */
  reason?: string;
}

export interface PolicyHook {
  evaluate(
    request: ParsedPauseRequest,
    requester: { keyId: string; identity: string | null },
  ): PolicyDecision | null;
  /**
   * Channel targets the policy itself names (its rules' and escalations'
   * recipients): an admin wrote them, so agents may name them too.
   */
  allowedRecipients?(): Recipient[];
  /** Standing grants under this policy (absent: allowed, for at most 24 hours). */
  grantLimits?(): GrantLimits;
}

export interface GrantLimits {
  enabled: boolean;
  maxDurationSeconds: number;
}
