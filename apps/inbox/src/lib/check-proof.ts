import type { Action, JwkSet, Proof } from "@countersign/core";
import { type ErrorCode, isCountersignError, verifyProof } from "@countersign/verify";

export interface ProofCheck {
  valid: boolean;
  /** What was checked, or what failed, in a sentence. */
  detail: string;
}

const FAILURES: Partial<Record<ErrorCode, string>> = {
  proof_unknown_key: "The proof is signed by none of this server's keys.",
  proof_invalid_signature: "The Ed25519 signature does not match the proof.",
  proof_wrong_pause: "The proof is for another pause.",
  proof_digest_mismatch: "The signature is genuine, but for a different action.",
  proof_unsupported_version: "This proof version is not supported.",
  proof_malformed: "The proof is malformed.",
  // A key this browser's WebCrypto cannot import.
  invalid_request: "This browser cannot check Ed25519 signatures.",
};

/**
 * Checks a decision proof in the browser, the way an auditor would, with
 * @countersign/verify on WebCrypto: its Ed25519 signature against the server's
 * public keys (`/v1/keys`), that it names this pause, and that its digest
 * covers this action as decided. It shows authenticity, not whether to act: a
 * rejection, or an approval past its `valid_until`, is still a genuine proof.
 */
export async function checkProof(
  proof: Proof,
  expected: { pauseId: string; action: Action },
  keys: JwkSet,
): Promise<ProofCheck> {
  if (!globalThis.crypto?.subtle)
    return { valid: false, detail: "This browser cannot check signatures here (the page needs HTTPS)." };
  try {
    await verifyProof(proof, {
      keys,
      pauseId: expected.pauseId,
      action: expected.action,
      require: "decided",
    });
  } catch (error) {
    // proof_expired comes only after every other check passed: authentic, just late.
    if (!isCountersignError(error, "proof_expired")) {
      const detail = isCountersignError(error) ? FAILURES[error.code] : undefined;
      return { valid: false, detail: detail ?? "The proof could not be checked." };
    }
  }
  return {
    valid: true,
    detail: "Checked in this browser with the server's public Ed25519 key, for this exact action.",
  };
}
