import { z } from "zod";
import { AuditCheckpointSchema } from "../protocol/audit-checkpoint.ts";
import { AuditEventSchema } from "../protocol/audit-event.ts";
import { PauseSchema } from "../protocol/pause.ts";
import { ProofSchema } from "../protocol/proof.ts";

export const EVIDENCE_BUNDLE_TYPE = "countersign.evidence_bundle";

/**
 * Everything an auditor needs about one pause, checkable offline with the
 * server's public keys alone: the pause, its proof, the audit chain from the
 * pause's first event to its last (events of other pauses that fall in
 * between are included so every link can be recomputed), and a checkpoint
 * signing the chain's head at the pause's last event.
 */
export const EvidenceBundleSchema = z.strictObject({
  v: z.literal(1),
  type: z.literal(EVIDENCE_BUNDLE_TYPE),
  created_at: z.iso.datetime(),
  pause: PauseSchema,
  proof: ProofSchema.nullable(),
  events: z.array(AuditEventSchema).min(1),
  checkpoint: AuditCheckpointSchema,
});
export type EvidenceBundle = z.infer<typeof EvidenceBundleSchema>;
