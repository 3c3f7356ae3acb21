import { isCountersignError } from "../errors/countersign-error.ts";
import type { VerifyProof, VerifyProofOptions } from "../proof/verify-proof.ts";
import type { VerifyWebhookSignature } from "../webhooks/standard-webhooks.ts";
import type { ProofOutcome, ProofVector, WebhookOutcome, WebhookVector } from "./vector-types.ts";

/** A vector's options as `verifyProof` takes them. */
export function proofVectorOptions(vector: ProofVector): VerifyProofOptions {
  const { options } = vector;
  return {
    ...(options.secrets && { secret: options.secrets }),
    ...(options.keys && { keys: options.keys }),
    ...(options.pause_id !== undefined && { pauseId: options.pause_id }),
    ...(options.action && { action: options.action }),
    ...(options.action_digest !== undefined && { actionDigest: options.action_digest }),
    ...(options.require && { require: options.require }),
    ...(options.clock_skew_seconds !== undefined && { clockSkewSeconds: options.clock_skew_seconds }),
    now: new Date(options.now),
  };
}

/** The proof exactly as the vector gives it: its text when it has one. */
export function proofVectorInput(vector: ProofVector): unknown {
  return vector.proof_json ?? vector.proof;
}

function failure(error: unknown): { valid: false; code: string } {
  // Anything but a CountersignError is a verifier bug, not a verdict: let the test see it.
  if (!isCountersignError(error)) throw error;
  return { valid: false, code: error.code };
}

/** Runs one proof vector through a `verifyProof` and reports what it answered. */
export async function runProofVector(verifyProof: VerifyProof, vector: ProofVector): Promise<ProofOutcome> {
  try {
    const verified = await verifyProof(proofVectorInput(vector), proofVectorOptions(vector));
    return {
      valid: true,
      approved: verified.approved,
      decision: verified.proof.decision,
      data: verified.data,
      verified_with: verified.verifiedWith,
    };
  } catch (error) {
    return failure(error);
  }
}

/** Runs one webhook vector through a `verifyWebhookSignature`. */
export async function runWebhookVector(
  verifyWebhookSignature: VerifyWebhookSignature,
  vector: WebhookVector,
): Promise<WebhookOutcome> {
  try {
    const verified = await verifyWebhookSignature(vector.body, vector.headers, vector.secret, {
      now: new Date(vector.now),
      ...(vector.tolerance_seconds !== undefined && { toleranceSeconds: vector.tolerance_seconds }),
    });
    return { valid: true, id: verified.id, timestamp: verified.timestamp };
  } catch (error) {
    return failure(error);
  }
}
