import { isCountersignError } from "../errors/countersign-error.ts";
import type { VerifiedProof, VerifyProofOptions } from "../proof/verify-proof.ts";
import { verifyProof } from "../proof/verify-proof.ts";
import type { JwkSet } from "../protocol/keys.ts";
import type { VerifyWith } from "./types.ts";

export type CheckProof = (
  proof: unknown,
  expected: Pick<VerifyProofOptions, "pauseId" | "action">,
) => Promise<VerifiedProof>;

/**
 * The proof check adapters share: with the configured secret or keys, or else
 * with the server's public keys, fetched once and again once when a proof
 * names a key not seen yet (the server rotated its keys).
 */
export function createProofChecker(
  verify: VerifyWith | undefined,
  client: { getKeys(): Promise<JwkSet> },
  options: { require: "approved" | "decided" },
): CheckProof {
  const configured = verify?.secret !== undefined || verify?.keys !== undefined;
  let serverKeys: Promise<JwkSet> | undefined;
  const fetchKeys = (fresh: boolean) => {
    if (!serverKeys || fresh) {
      serverKeys = client.getKeys();
      // A failed fetch is not cached: the next call asks again.
      serverKeys.catch(() => {
        serverKeys = undefined;
      });
    }
    return serverKeys;
  };
  return async (proof, expected) => {
    const common: VerifyProofOptions = { ...expected, require: options.require };
    if (configured) return verifyProof(proof, { ...common, ...verify });
    try {
      return await verifyProof(proof, { ...common, keys: await fetchKeys(false) });
    } catch (error) {
      if (!isCountersignError(error, "proof_unknown_key")) throw error;
      return verifyProof(proof, { ...common, keys: await fetchKeys(true) });
    }
  };
}
