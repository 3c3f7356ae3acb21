import { z } from "zod";
import { type AuditCheckpointV2, AuditCheckpointV2Schema } from "../protocol/audit-checkpoint.ts";
import type { JwkSet, PublicJwk } from "../protocol/keys.ts";
import { verifyCheckpoint } from "./audit-checkpoint.ts";
import { parseHash } from "./merkle-hash.ts";
import { verifyConsistency } from "./merkle-proofs.ts";

export const CONSISTENCY_PROOF_TYPE = "countersign.consistency_proof";

/**
 * Proof that the log `to` signed extends the log `from` signed, unchanged
 * (RFC 9162 §2.1.4): with a saved or witnessed `from`, an auditor learns the
 * log was neither rewritten nor truncated since.
 */
export const ConsistencyProofSchema = z.strictObject({
  v: z.literal(2),
  type: z.literal(CONSISTENCY_PROOF_TYPE),
  from: AuditCheckpointV2Schema,
  to: AuditCheckpointV2Schema,
  proof: z.array(z.string().regex(/^[0-9a-f]{64}$/)).max(128),
});
export type ConsistencyProof = z.infer<typeof ConsistencyProofSchema>;

export type ConsistencyCheck =
  | { valid: true; from: AuditCheckpointV2; to: AuditCheckpointV2; problem: null }
  | { valid: false; problem: { kind: "malformed" | "checkpoint_invalid" | "inconsistent"; message: string } };

/** Checks both checkpoints' signatures against pinned keys and the proof between them. */
export async function verifyConsistencyProof(
  input: unknown,
  options: { keys: JwkSet | readonly PublicJwk[] },
): Promise<ConsistencyCheck> {
  const parsed = ConsistencyProofSchema.safeParse(input);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => issue.path.join(".") || "(proof)").join(", ");
    return {
      valid: false,
      problem: { kind: "malformed", message: `Not a consistency proof (at ${fields})` },
    };
  }
  const { from, to, proof } = parsed.data;
  for (const checkpoint of [from, to]) {
    const checked = await verifyCheckpoint(checkpoint, options.keys);
    if (!checked.ok)
      return { valid: false, problem: { kind: "checkpoint_invalid", message: checked.message } };
  }
  const consistent = checkpointsConsistent(from, to, proof);
  return consistent
    ? { valid: true, from, to, problem: null }
    : {
        valid: false,
        problem: {
          kind: "inconsistent",
          message: `The log of ${to.at} (${to.size} events) does not extend the log of ${from.at} (${from.size} events): it was rewritten or truncated`,
        },
      };
}

/** Whether `to` extends `from`, given the hex consistency proof between them. */
export function checkpointsConsistent(
  from: Pick<AuditCheckpointV2, "size" | "root_hash">,
  to: Pick<AuditCheckpointV2, "size" | "root_hash">,
  proof: readonly string[],
): boolean {
  if (to.size < from.size) return false;
  return verifyConsistency(
    from.size,
    to.size,
    parseHash(from.root_hash)!,
    parseHash(to.root_hash)!,
    proof.map((hex) => Buffer.from(hex, "hex")),
  );
}
