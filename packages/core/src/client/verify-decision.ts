import { CountersignError } from "../errors/countersign-error.ts";
import { verifyProof } from "../proof/verify-proof.ts";
import type { Pause } from "../protocol/pause.ts";
import type { ApprovalResult, VerifyDecisionOptions } from "./types.ts";

/**
 * Turns a decided pause into an `ApprovalResult` only after its proof verifies
 * for this pause and this action. `approved` comes from the verified proof,
 * never from the pause's own `status`; any doubt throws (fail closed).
 */
export async function verifyDecision(
  pause: Pause,
  options: VerifyDecisionOptions = {},
): Promise<ApprovalResult> {
  const pauseId = pause.pause_id;
  const action = options.action ?? pause.action;
  if (pause.status === "pending") {
    throw new CountersignError("not_approved", `Pause ${pauseId} is still pending`, { pauseId });
  }
  if (pause.status === "cancelled") {
    return {
      approved: false,
      status: "cancelled",
      pause,
      proof: null,
      reason: pause.decision?.reason ?? null,
      data: action.data,
    };
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
  const verified = await verifyProof(pause.proof, {
    secret: options.secret,
    keys: options.keys,
    pauseId,
    action,
    require: "decided",
  });
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
    pause,
    proof: verified.proof,
    reason: verified.proof.reason,
    data: verified.proof.data ?? action.data,
  };
}
