import { z } from "zod";
import { AuditCheckpointV1Schema, AuditCheckpointV2Schema } from "../protocol/audit-checkpoint.ts";
import { AuditEventSchema } from "../protocol/audit-event.ts";
import { PauseSchema } from "../protocol/pause.ts";
import { ProofSchema } from "../protocol/proof.ts";
import { ExecutionSchema } from "../protocol/receipt.ts";

export const EVIDENCE_BUNDLE_TYPE = "countersign.evidence_bundle";

const HEX_HASH = z.string().regex(/^[0-9a-f]{64}$/);

/**
 * v1 (parsed on purpose, so bundles already handed to auditors still verify):
 * the contiguous chain from the pause's first event to its last, other
 * pauses' events included, and a v1 checkpoint at its last event.
 */
export const EvidenceBundleV1Schema = z.strictObject({
  v: z.literal(1),
  type: z.literal(EVIDENCE_BUNDLE_TYPE),
  created_at: z.iso.datetime(),
  pause: PauseSchema,
  proof: ProofSchema.nullable(),
  events: z.array(AuditEventSchema).min(1),
  checkpoint: AuditCheckpointV1Schema,
});

/**
 * v2: everything an auditor needs about one pause and nothing about any
 * other: the pause, its proof (and execution receipt), only its own audit events, and for each event
 * an RFC 9162 inclusion proof (hex hashes, leaf side first; O(log n)) in the
 * Merkle tree that the signed checkpoint names.
 */
export const EvidenceBundleV2Schema = z.strictObject({
  v: z.literal(2),
  type: z.literal(EVIDENCE_BUNDLE_TYPE),
  created_at: z.iso.datetime(),
  pause: PauseSchema,
  proof: ProofSchema.nullable(),
  execution: ExecutionSchema.nullable()
    .optional()
    .describe("The signed execution receipt, once the claimer reported how the action ended."),
  events: z.array(AuditEventSchema).min(1),
  inclusion: z.array(z.array(HEX_HASH).max(64)).describe("One inclusion proof per event, same order."),
  checkpoint: AuditCheckpointV2Schema,
});

export const EvidenceBundleSchema = z.discriminatedUnion("v", [
  EvidenceBundleV2Schema,
  EvidenceBundleV1Schema,
]);
export type EvidenceBundle = z.infer<typeof EvidenceBundleSchema>;
export type EvidenceBundleV1 = z.infer<typeof EvidenceBundleV1Schema>;
export type EvidenceBundleV2 = z.infer<typeof EvidenceBundleV2Schema>;
