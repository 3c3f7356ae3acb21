import { type Action, isCountersignError, type Proof, verifyProof } from "@countersign/verify";
import type { CountersignCredentials } from "./countersign-credentials.ts";

/**
 * Checks that a proof is authentic (with the credential's secret and/or pinned
 * keys) and is about this pause and this action, with @countersign/verify. It
 * does not judge the decision: an authentic rejection passes, and so does an
 * approval past its `valid_until` — `verifyProof` reports that as
 * `proof_expired` only after every other check passed, and `decisionItem`
 * routes it to Rejected as "expired" instead of leaving the execution waiting.
 */
export async function checkDecisionProof(
  proof: unknown,
  credentials: Pick<CountersignCredentials, "proofSecret" | "publicKeys">,
  expected: { pauseId: string; action: Action },
): Promise<Proof> {
  const options = {
    ...(credentials.proofSecret !== undefined && { secret: credentials.proofSecret }),
    ...(credentials.publicKeys.length > 0 && { keys: credentials.publicKeys }),
    pauseId: expected.pauseId,
    action: expected.action,
    require: "decided" as const,
  };
  try {
    return (await verifyProof(proof, options)).proof;
  } catch (error) {
    if (!isCountersignError(error, "proof_expired")) throw error;
    return proof as Proof;
  }
}
