import {
  type Action,
  type ActionData,
  type CheckProof,
  CountersignError,
  type Pause,
} from "@countersign/core";

/** A decided pause whose proof verified for exactly the requested action. */
export interface VerifiedDecision {
  approved: boolean;
  status: "approved" | "rejected" | "expired" | "cancelled";
  /** The reviewer's reason, if any. */
  reason: string | null;
  /** Arguments the approver edited, or `null` when approved as requested. */
  edits: ActionData | null;
  /** `null` only for a cancelled pause, which carries no proof. */
  proofId: string | null;
  pause: Pause;
}

/**
 * Reads a decided pause only through its signed proof, checked for this pause
 * and this action: `approved` comes from the verified proof, never from the
 * pause's own `status`. Any doubt throws; the caller does not act.
 */
export async function verifyDecision(
  checkProof: CheckProof,
  pause: Pause,
  action: Action,
): Promise<VerifiedDecision> {
  const pauseId = pause.pause_id;
  if (pause.status === "pending") {
    throw new CountersignError("not_approved", `Pause ${pauseId} is still waiting for a decision`, {
      pauseId,
    });
  }
  if (pause.status === "cancelled") {
    const reason = pause.decision?.reason ?? null;
    return { approved: false, status: "cancelled", reason, edits: null, proofId: null, pause };
  }
  if (!pause.proof) {
    throw new CountersignError(
      "proof_malformed",
      `Pause ${pauseId} is ${pause.status} but carries no proof`,
      {
        pauseId,
      },
    );
  }
  const verified = await checkProof(pause.proof, { pauseId, action });
  if (verified.proof.decision !== pause.status) {
    throw new CountersignError(
      "proof_mismatch",
      `Pause ${pauseId} says ${pause.status} but its proof says ${verified.proof.decision}`,
      { pauseId },
    );
  }
  return {
    approved: verified.approved,
    status: verified.proof.decision,
    reason: verified.proof.reason,
    edits: verified.proof.data,
    proofId: verified.proof.proof_id,
    pause,
  };
}

/** What the model is told when the call may not run: the reviewer's reason, else what happened. */
export function denialReason(decision: VerifiedDecision): string {
  if (decision.reason) return decision.reason;
  switch (decision.status) {
    case "expired":
      return "The approval request expired without a decision.";
    case "cancelled":
      return "The approval request was cancelled.";
    default: {
      const by = decision.pause.decision?.decided_by.id;
      return by ? `Rejected by ${by}.` : "Rejected.";
    }
  }
}
