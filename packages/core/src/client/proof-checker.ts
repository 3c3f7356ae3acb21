import { CountersignError, isCountersignError } from "../errors/countersign-error.ts";
import type { VerifiedProof, VerifyProofOptions } from "../proof/verify-proof.ts";
import { verifyProof } from "../proof/verify-proof.ts";
import type { JwkSet } from "../protocol/keys.ts";
import { createTrustAnchors, hasTrustAnchor, NO_TRUST_ANCHOR } from "./trust-anchors.ts";
import type { VerifyWith } from "./types.ts";

export type CheckProof = (
  proof: unknown,
  expected: Pick<VerifyProofOptions, "pauseId" | "action">,
) => Promise<VerifiedProof>;

/**
 * The proof check adapters share, against pinned trust anchors (see
 * trust-anchors.ts): a secret, a JWK set, `COUNTERSIGN_JWKS`, pinned
 * thumbprints, or — only when asked to — the server's own keys, fetched once
 * and again once when a proof names a key not seen yet (rotation). Throws at
 * once when nothing is pinned, so a misconfigured adapter fails when it is
 * built, not when the first approval arrives.
 */
export function createProofChecker(
  verify: VerifyWith | undefined,
  client: { getKeys(): Promise<JwkSet> },
  options: { require: "approved" | "decided" },
): CheckProof {
  if (!hasTrustAnchor(verify)) throw new CountersignError("invalid_request", NO_TRUST_ANCHOR);
  const anchors = createTrustAnchors(verify, () => client.getKeys());
  return async (proof, expected) => {
    const common: VerifyProofOptions = { ...expected, require: options.require };
    try {
      return await verifyProof(proof, { ...common, ...(await anchors.resolve()) });
    } catch (error) {
      if (!anchors.fetchesKeys || !isCountersignError(error, "proof_unknown_key")) throw error;
      return verifyProof(proof, { ...common, ...(await anchors.resolve(true)) });
    }
  };
}
