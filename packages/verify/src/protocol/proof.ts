import type { ActionData } from "./action.ts";

export const PROOF_VERSION = 1;
/** Domain separation: the signed bytes are this prefix and the JCS of the proof without its signatures. */
export const PROOF_SIGNING_PREFIX = "countersign.proof.v1.";
/** Shorter proof secrets are refused, by the signer and by every verifier. */
export const MIN_PROOF_SECRET_LENGTH = 32;

export type ProofDecision = "approved" | "rejected" | "expired";

export type Decider = {
  /** `agent` only on a cancelled pause; proofs never carry it. `grant`: a standing grant approved it. */
  kind: "human" | "policy" | "timeout" | "agent" | "grant";
  id: string;
  channel?: string;
  /** The policy rule, when `kind` is `policy`. */
  rule?: string;
  /** The standing grant, when `kind` is `grant`. */
  grant_id?: string;
  /** The approver who granted it, when `kind` is `grant`. */
  granted_by?: string;
  /** When a delegate decided: the approver they stood in for (`id` names the delegate). */
  on_behalf_of?: string;
  [key: string]: unknown;
};

export type Ed25519Signature = {
  alg: "Ed25519";
  kid: string;
  sig: string;
  [key: string]: unknown;
};

/** The known fields of a signed decision proof (DESIGN §3); a parsed proof may carry more, all signed. */
export type Proof = {
  v: number;
  proof_id: string;
  pause_id: string;
  agent_id: string;
  action_digest: string;
  decision: ProofDecision;
  human_response: boolean;
  decided_by: Decider;
  reason: string | null;
  data: ActionData | null;
  issued_at: string;
  valid_until: string;
  kid: string;
  signature: string;
  signatures: Ed25519Signature[];
};

export type UnsignedProof = Omit<Proof, "signature" | "signatures">;
