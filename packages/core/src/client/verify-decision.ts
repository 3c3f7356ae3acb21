import { CountersignError } from "../errors/countersign-error.ts";
import type { JwkSet } from "../protocol/keys.ts";
import type { Pause } from "../protocol/pause.ts";
import { createProofChecker } from "./proof-checker.ts";
import type { ApprovalResult, VerifyDecisionOptions } from "./types.ts";

const NO_SERVER = () =>
  Promise.reject(
    new CountersignError(
      "invalid_request",
      "Thumbprints and trustServerKeys need a client to fetch keys with",
    ),
  );

/**
 * Turns a decided pause into an `ApprovalResult` only after its proof verifies
 * for this pause and this action, against pinned trust anchors (see
 * `VerifyWith`). `approved` comes from the verified proof, never from the
 * pause's own `status`; any doubt throws (fail closed). `fetchKeys` serves
 * thumbprint pins and the `trustServerKeys` opt-in (the client passes its own).
 */
export async function verifyDecision(
  pause: Pause,
  options: VerifyDecisionOptions = {},
  fetchKeys: () => Promise<JwkSet> = NO_SERVER,
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
  const checkProof = createProofChecker(options, { getKeys: fetchKeys }, { require: "decided" });
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
    pause,
    proof: verified.proof,
    reason: verified.proof.reason,
    data: verified.proof.data ?? action.data,
  };
}
