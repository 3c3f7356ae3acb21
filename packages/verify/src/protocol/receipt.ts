import type { Ed25519Signature } from "./proof.ts";

// Plain types of the signed execution receipt; @countersign/core's zod `ExecutionSchema` is the source of truth.

export const RECEIPT_VERSION = 1;
/** Domain separation: receipt bytes can never be read as a proof's, nor a proof's as a receipt's. */
export const RECEIPT_SIGNING_PREFIX = "countersign.receipt.v1.";

export type ExecutionOutcome = "succeeded" | "failed";

/** The server's signed statement of how the claimer of a pause said its approved action ended. */
export type Receipt = {
  v: number;
  receipt_id: string;
  pause_id: string;
  proof_id: string;
  agent_id: string;
  action_digest: string;
  outcome: ExecutionOutcome;
  result_digest: string | null;
  error: string | null;
  reported_by: { kind: "agent" | "executor"; key_id: string; identity: string | null };
  claimed_at: string;
  reported_at: string;
  kid: string;
  signature: string;
  signatures: Ed25519Signature[];
};
export type UnsignedReceipt = Omit<Receipt, "signature" | "signatures">;
