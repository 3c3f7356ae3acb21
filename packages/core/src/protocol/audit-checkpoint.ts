import { z } from "zod";

/** The version `signCheckpoint` writes. */
export const CHECKPOINT_VERSION = 2;
/** Signed bytes: this prefix + JCS(checkpoint without `sig`). */
export const CHECKPOINT_SIGNING_PREFIX = "countersign.checkpoint.v2.";
export const CHECKPOINT_V1_SIGNING_PREFIX = "countersign.checkpoint.v1.";

const HASH = z.string().regex(/^sha256:[0-9a-f]{64}$/);

/**
 * v1 (still parsed, so checkpoints saved before the Merkle log keep working
 * against JSON Lines exports): the log had `size` events ending in `head_hash`.
 */
export const AuditCheckpointV1Schema = z.strictObject({
  v: z.literal(1),
  size: z.int().min(0).describe("Number of events covered: the `seq` of the head event."),
  head_hash: HASH,
  at: z.iso.datetime(),
  kid: z.string().min(1),
  sig: z.string().min(1).describe("base64url Ed25519 signature."),
});
export type AuditCheckpointV1 = z.infer<typeof AuditCheckpointV1Schema>;

/**
 * v2, in the manner of RFC 9162 / C2SP tlog-checkpoint: the log had `size`
 * events, its Merkle tree (leaf = `0x00 || JCS(event)`) had root `root_hash`,
 * and its hash chain ended in `head_hash`. Signed with Ed25519 over
 * `"countersign.checkpoint.v2." + JCS(checkpoint without sig)`. Inclusion
 * proofs place one event in it; consistency proofs show an older checkpoint
 * is a prefix of it, so a saved checkpoint catches a later rewrite or truncation.
 */
export const AuditCheckpointV2Schema = z
  .strictObject({
    v: z.literal(2),
    size: z.int().min(0).describe("Number of events covered: the `seq` of the head event."),
    root_hash: HASH.describe("RFC 9162 Merkle tree hash of the first `size` events."),
    head_hash: HASH.describe("`hash` of event `size` (the chain head); the genesis hash when empty."),
    at: z.iso.datetime(),
    kid: z.string().min(1),
    sig: z.string().min(1).describe("base64url Ed25519 signature."),
  })
  .meta({ id: "AuditCheckpoint" });
export type AuditCheckpointV2 = z.infer<typeof AuditCheckpointV2Schema>;

/** A signed checkpoint of the audit log, v2 (written today) or v1 (parsed on purpose). */
export const AuditCheckpointSchema = z.discriminatedUnion("v", [
  AuditCheckpointV2Schema,
  AuditCheckpointV1Schema,
]);
export type AuditCheckpoint = z.infer<typeof AuditCheckpointSchema>;
