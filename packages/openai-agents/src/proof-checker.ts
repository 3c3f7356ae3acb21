import {
  isCountersignError,
  type VerifiedProof,
  type VerifyProofOptions,
  verifyProof,
} from "@countersign/core";
import type { ApprovalClient, VerifyWith } from "./approval-options.ts";

export type CheckProof = (
  proof: unknown,
  expected: Required<Pick<VerifyProofOptions, "pauseId" | "action">>,
) => Promise<VerifiedProof>;

/**
 * Verifies approvals with the configured secret or keys, or else with the
 * server's public keys, fetched once and again once when a proof names a key
 * not seen yet (the server rotated its keys). Only `approved` passes.
 */
export function proofChecker(
  verify: VerifyWith | undefined,
  client: Pick<ApprovalClient, "getKeys">,
): CheckProof {
  const configured = verify?.secret !== undefined || verify?.keys !== undefined;
  let serverKeys: ReturnType<ApprovalClient["getKeys"]> | undefined;
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
    const common: VerifyProofOptions = { ...expected, require: "approved" };
    if (configured) return verifyProof(proof, { ...common, ...verify });
    try {
      return await verifyProof(proof, { ...common, keys: await fetchKeys(false) });
    } catch (error) {
      if (!isCountersignError(error, "proof_unknown_key")) throw error;
      return verifyProof(proof, { ...common, keys: await fetchKeys(true) });
    }
  };
}
