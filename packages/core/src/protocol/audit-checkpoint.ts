import { z } from "zod";

export const CHECKPOINT_VERSION = 1;
export const CHECKPOINT_SIGNING_PREFIX = "countersign.checkpoint.v1.";

/**
 * A signed statement that the audit log had `size` events ending in
 * `head_hash` at time `at`. Signed with the server's Ed25519 key over
 * `"countersign.checkpoint.v1." + JCS(checkpoint without sig)`; anyone with
 * `GET /v1/keys` can check it, and a log that was later truncated or
 * rewritten no longer matches it.
 */
export const AuditCheckpointSchema = z
  .strictObject({
    v: z.literal(CHECKPOINT_VERSION),
    size: z.int().min(0).describe("Number of events covered: the `seq` of the head event."),
    head_hash: z.string().regex(/^sha256:[0-9a-f]{64}$/),
    at: z.iso.datetime(),
    kid: z.string().min(1),
    sig: z.string().min(1).describe("base64url Ed25519 signature."),
  })
  .meta({ id: "AuditCheckpoint" });
export type AuditCheckpoint = z.infer<typeof AuditCheckpointSchema>;
