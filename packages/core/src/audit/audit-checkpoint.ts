import { canonicalJson } from "../proof/canonical-json.ts";
import { fromBase64, toBase64Url, utf8 } from "../proof/encoding.ts";
import { importEd25519PublicKey } from "../proof/signing-keys.ts";
import {
  type AuditCheckpoint,
  AuditCheckpointSchema,
  CHECKPOINT_SIGNING_PREFIX,
  CHECKPOINT_VERSION,
} from "../protocol/audit-checkpoint.ts";
import type { JwkSet, PublicJwk } from "../protocol/keys.ts";
import { GENESIS_HASH } from "./audit-chain.ts";

/** The exact bytes a checkpoint signature covers. */
export function checkpointSigningInput(checkpoint: Omit<AuditCheckpoint, "sig">): Uint8Array<ArrayBuffer> {
  const { sig: _sig, ...unsigned } = checkpoint as AuditCheckpoint;
  return utf8(CHECKPOINT_SIGNING_PREFIX + canonicalJson(unsigned));
}

/** Signs a checkpoint of the log whose newest event is `head` (`null`: the empty log). */
export async function signCheckpoint(
  head: { seq: number; hash: string } | null,
  key: { kid: string; privateKey: CryptoKey },
  now: Date,
): Promise<AuditCheckpoint> {
  const unsigned = {
    v: CHECKPOINT_VERSION,
    size: head?.seq ?? 0,
    head_hash: head?.hash ?? GENESIS_HASH,
    at: now.toISOString(),
    kid: key.kid,
  } as const;
  const signature = await crypto.subtle.sign(
    { name: "Ed25519" },
    key.privateKey,
    checkpointSigningInput(unsigned),
  );
  return { ...unsigned, sig: toBase64Url(signature) };
}

export type CheckpointCheck =
  | { ok: true; checkpoint: AuditCheckpoint }
  | { ok: false; reason: "malformed" | "unknown_key" | "bad_signature"; message: string };

/** Checks a checkpoint's form and its Ed25519 signature against public keys (`GET /v1/keys`). */
export async function verifyCheckpoint(
  input: unknown,
  keys: JwkSet | readonly PublicJwk[],
): Promise<CheckpointCheck> {
  const parsed = AuditCheckpointSchema.safeParse(input);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => issue.path.join(".") || "(checkpoint)").join(", ");
    return { ok: false, reason: "malformed", message: `The checkpoint is malformed at: ${fields}` };
  }
  const checkpoint = parsed.data;
  const list = Array.isArray(keys) ? keys : (keys as JwkSet).keys;
  const jwk = list.find((candidate) => candidate.kid === checkpoint.kid);
  if (!jwk) {
    return {
      ok: false,
      reason: "unknown_key",
      message: `The checkpoint is signed by key ${checkpoint.kid}, which is not in the given key set`,
    };
  }
  const signature = fromBase64(checkpoint.sig);
  const valid =
    signature !== null &&
    (await crypto.subtle.verify(
      { name: "Ed25519" },
      await importEd25519PublicKey(jwk),
      signature,
      checkpointSigningInput(checkpoint),
    ));
  return valid
    ? { ok: true, checkpoint }
    : { ok: false, reason: "bad_signature", message: "The checkpoint's signature does not verify" };
}
