import { CountersignError } from "../errors/countersign-error.ts";
import type { Action } from "../protocol/action.ts";
import type { JwkSet, PublicJwk } from "../protocol/keys.ts";
import { PROOF_VERSION, type Proof, ProofSchema } from "../protocol/proof.ts";
import { actionDigest, approvedAction } from "./action-digest.ts";
import { fromBase64, fromHex } from "./encoding.ts";
import { proofSigningInput } from "./sign-proof.ts";
import { hmacKeyId, importEd25519PublicKey, importHmacKey } from "./signing-keys.ts";

export interface VerifyProofOptions {
  /** Proof secret(s) for the HMAC `signature`. Give this, `keys`, or both (then both must hold). */
  secret?: string | readonly string[];
  /** Ed25519 public keys (`GET /v1/keys`) for `signatures[]`: verification without any secret. */
  keys?: JwkSet | readonly PublicJwk[];
  /** The pause this proof must be for. */
  pauseId?: string;
  /** The action as the agent requested it; edits in the proof are applied before comparing digests. */
  action?: Action;
  /** Or the expected digest directly. */
  actionDigest?: string;
  /** `approved` (default): only an approval passes. `decided`: any authentic decision passes. */
  require?: "approved" | "decided";
  now?: Date;
  /** Allowance for clocks that disagree, in seconds. Default 30. */
  clockSkewSeconds?: number;
}

export interface VerifiedProof {
  proof: Proof;
  approved: boolean;
  /** The arguments to run with: the approver's edits, or `null` when the action was approved as requested. */
  data: Proof["data"];
  /** How the signature was checked. */
  verifiedWith: ("hmac" | "ed25519")[];
}

/**
 * Verifies a decision proof offline. Every failure throws a `CountersignError`
 * with a `proof_*` code; a caller that gets no `VerifiedProof` must not act.
 */
export async function verifyProof(input: unknown, options: VerifyProofOptions): Promise<VerifiedProof> {
  const proof = parseProof(input);
  const pauseId = proof.pause_id;
  if (proof.v !== PROOF_VERSION) {
    throw new CountersignError("proof_unsupported_version", `Proof version ${proof.v} is not supported`, {
      pauseId,
    });
  }
  const verifiedWith = await checkSignatures(proof, options);
  if (options.pauseId !== undefined && proof.pause_id !== options.pauseId) {
    throw new CountersignError(
      "proof_wrong_pause",
      `Proof is for pause ${proof.pause_id}, not ${options.pauseId}`,
      {
        pauseId: options.pauseId,
      },
    );
  }
  await checkDigest(proof, options);
  const approved = proof.decision === "approved";
  if ((options.require ?? "approved") === "approved" && !approved) {
    const why = proof.reason ? `: ${proof.reason}` : "";
    throw new CountersignError("proof_not_approved", `The action was ${proof.decision}${why}`, { pauseId });
  }
  // An approval is a permission with a deadline; a rejection stays a rejection.
  if (approved) {
    const now = (options.now ?? new Date()).getTime();
    const skew = (options.clockSkewSeconds ?? 30) * 1000;
    if (Date.parse(proof.valid_until) + skew < now) {
      throw new CountersignError("proof_expired", `The approval was valid until ${proof.valid_until}`, {
        pauseId,
      });
    }
  }
  return { proof, approved, data: proof.data, verifiedWith };
}

function parseProof(input: unknown): Proof {
  let value = input;
  if (typeof input === "string") {
    try {
      value = JSON.parse(input);
    } catch {
      throw new CountersignError("proof_malformed", "Proof is not JSON");
    }
  }
  const result = ProofSchema.safeParse(value);
  if (!result.success) {
    const fields = result.error.issues.map((issue) => issue.path.join(".") || "(proof)").join(", ");
    throw new CountersignError("proof_malformed", `Proof is malformed at: ${fields}`);
  }
  return result.data;
}

async function checkSignatures(proof: Proof, options: VerifyProofOptions): Promise<("hmac" | "ed25519")[]> {
  const secrets =
    options.secret === undefined
      ? []
      : typeof options.secret === "string"
        ? [options.secret]
        : options.secret;
  const keys =
    options.keys === undefined
      ? []
      : Array.isArray(options.keys)
        ? options.keys
        : (options.keys as JwkSet).keys;
  if (secrets.length === 0 && keys.length === 0) {
    throw new CountersignError("proof_unknown_key", "No secret or public key given to verify the proof with");
  }
  const input = proofSigningInput(proof);
  const verifiedWith: ("hmac" | "ed25519")[] = [];
  if (secrets.length > 0) {
    await checkHmac(proof, secrets, input);
    verifiedWith.push("hmac");
  }
  if (keys.length > 0) {
    await checkEd25519(proof, keys, input);
    verifiedWith.push("ed25519");
  }
  return verifiedWith;
}

async function checkHmac(
  proof: Proof,
  secrets: readonly string[],
  input: Uint8Array<ArrayBuffer>,
): Promise<void> {
  const mac = fromHex(proof.signature.slice("sha256=".length));
  for (const secret of secrets) {
    const { kid, key } = await cachedHmacKey(secret);
    if (kid !== proof.kid) continue;
    // subtle.verify compares in constant time.
    if (mac && (await crypto.subtle.verify("HMAC", key, mac, input))) return;
    throw new CountersignError("proof_invalid_signature", "The proof's HMAC signature does not verify", {
      pauseId: proof.pause_id,
    });
  }
  throw new CountersignError("proof_unknown_key", `No secret given for key ${proof.kid}`, {
    pauseId: proof.pause_id,
  });
}

async function checkEd25519(
  proof: Proof,
  keys: readonly PublicJwk[],
  input: Uint8Array<ArrayBuffer>,
): Promise<void> {
  let known = false;
  for (const signature of proof.signatures) {
    const jwk = keys.find((key) => key.kid === signature.kid);
    if (!jwk) continue;
    known = true;
    const bytes = fromBase64(signature.sig);
    if (
      bytes &&
      (await crypto.subtle.verify({ name: "Ed25519" }, await cachedPublicKey(jwk), bytes, input))
    ) {
      return;
    }
  }
  if (!known) {
    throw new CountersignError("proof_unknown_key", "The proof is signed by no key in the given key set", {
      pauseId: proof.pause_id,
    });
  }
  throw new CountersignError("proof_invalid_signature", "The proof's Ed25519 signature does not verify", {
    pauseId: proof.pause_id,
  });
}

async function checkDigest(proof: Proof, options: VerifyProofOptions): Promise<void> {
  let expected = options.actionDigest;
  if (options.action !== undefined) expected = await actionDigest(approvedAction(options.action, proof.data));
  if (expected !== undefined && expected !== proof.action_digest) {
    throw new CountersignError("proof_digest_mismatch", "The proof was issued for a different action", {
      pauseId: proof.pause_id,
    });
  }
}

// Importing a key costs more than verifying with it: keep the few a process uses.
const CACHE_LIMIT = 32;
const hmacKeys = new Map<string, Promise<{ kid: string; key: CryptoKey }>>();
const publicKeys = new Map<string, Promise<CryptoKey>>();

function cached<Value>(
  cache: Map<string, Promise<Value>>,
  id: string,
  load: () => Promise<Value>,
): Promise<Value> {
  let value = cache.get(id);
  if (!value) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    value = load();
    cache.set(id, value);
    value.catch(() => cache.delete(id));
  }
  return value;
}

function cachedHmacKey(secret: string): Promise<{ kid: string; key: CryptoKey }> {
  return cached(hmacKeys, secret, async () => {
    try {
      return { kid: await hmacKeyId(secret), key: await importHmacKey(secret, ["verify"]) };
    } catch (error) {
      throw new CountersignError("invalid_request", `Unusable proof secret: ${(error as Error).message}`);
    }
  });
}

function cachedPublicKey(jwk: PublicJwk): Promise<CryptoKey> {
  return cached(publicKeys, jwk.x, () => importEd25519PublicKey(jwk));
}
