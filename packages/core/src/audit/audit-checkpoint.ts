import { canonicalJson } from "../proof/canonical-json.ts";
import { fromBase64, toBase64Url, utf8 } from "../proof/encoding.ts";
import { importEd25519PublicKey } from "../proof/signing-keys.ts";
import {
  type AuditCheckpoint,
  AuditCheckpointSchema,
  type AuditCheckpointV2,
  CHECKPOINT_SIGNING_PREFIX,
  CHECKPOINT_V1_SIGNING_PREFIX,
  CHECKPOINT_VERSION,
} from "../protocol/audit-checkpoint.ts";
import type { JwkSet, PublicJwk } from "../protocol/keys.ts";
import { GENESIS_HASH } from "./audit-chain.ts";
import { EMPTY_TREE_ROOT, formatHash } from "./merkle-hash.ts";

/** What a checkpoint states about the log. */
export interface AuditTreeHead {
  size: number;
  /** `sha256:<hex>` Merkle root of the first `size` events. */
  rootHash: string;
  /** `hash` of event `size`, the genesis hash for the empty log. */
  headHash: string;
}

export const EMPTY_TREE_HEAD: AuditTreeHead = {
  size: 0,
  rootHash: formatHash(EMPTY_TREE_ROOT),
  headHash: GENESIS_HASH,
};

/** The exact bytes a checkpoint signature covers (v1 or v2, by its `v`). */
export function checkpointSigningInput(
  checkpoint: Omit<AuditCheckpoint, "sig"> | AuditCheckpoint,
): Uint8Array<ArrayBuffer> {
  const { sig: _sig, ...unsigned } = checkpoint as AuditCheckpoint;
  const prefix = unsigned.v === 1 ? CHECKPOINT_V1_SIGNING_PREFIX : CHECKPOINT_SIGNING_PREFIX;
  return utf8(prefix + canonicalJson(unsigned));
}

/** Signs a v2 checkpoint of the log whose tree head is `tree`. */
export async function signCheckpoint(
  tree: AuditTreeHead,
  key: { kid: string; privateKey: CryptoKey },
  now: Date,
): Promise<AuditCheckpointV2> {
  const unsigned = {
    v: CHECKPOINT_VERSION,
    size: tree.size,
    root_hash: tree.rootHash,
    head_hash: tree.headHash,
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

/** Checks a checkpoint's form (v2, or v1 on purpose) and its Ed25519 signature against pinned public keys. */
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
