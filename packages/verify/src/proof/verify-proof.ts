import type { AnyCryptoBackend } from "../crypto/crypto-backend.ts";
import { CountersignError } from "../errors/countersign-error.ts";
import type { Action } from "../protocol/action.ts";
import type { JwkSet, PublicJwk } from "../protocol/keys.ts";
import { PROOF_VERSION, type Proof } from "../protocol/proof.ts";
import { approvedAction } from "./action-digest.ts";
import { approvalIsCurrent } from "./approval-is-current.ts";
import type { KeyCaches } from "./key-caches.ts";
import { readProof } from "./read-proof.ts";
import { proofSigningText } from "./signing-input.ts";

export interface VerifyProofOptions {
  /** Proof secret(s) for the HMAC `signature`. Give this, `keys`, or both (then both must hold). */
  secret?: string | readonly string[];
  /** Pinned Ed25519 public keys (a JWK set or a list) for `signatures[]`: verification without any secret. */
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

export type VerifyProof = (input: unknown, options: VerifyProofOptions) => Promise<VerifiedProof>;

/**
 * Proof verification on one crypto backend. The checks run in this order, and
 * the first failure throws: `proof_malformed`, `proof_unsupported_version`,
 * `proof_unknown_key` / `proof_invalid_signature`, `proof_wrong_pause`,
 * `proof_digest_mismatch`, `proof_not_approved`, `proof_expired`. So
 * `proof_expired` means: authentic, for this pause and this action, but late.
 */
export function createVerifyProof(
  backend: AnyCryptoBackend,
  caches: KeyCaches,
  actionDigest: (action: Action) => Promise<string>,
): VerifyProof {
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
      throw new CountersignError(
        "proof_unknown_key",
        "No secret or public key given to verify the proof with",
      );
    }
    // Canonicalised once, for both signatures.
    const input = proofSigningText(proof);
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

  async function checkHmac(proof: Proof, secrets: readonly string[], input: string): Promise<void> {
    const mac = backend.decodeHex(proof.signature.slice("sha256=".length));
    for (const secret of secrets) {
      const { kid, key } = await caches.hmacKey(secret);
      if (kid !== proof.kid) continue;
      if (mac && (await backend.verifyHmac(key, input, mac))) return;
      throw new CountersignError("proof_invalid_signature", "The proof's HMAC signature does not verify", {
        pauseId: proof.pause_id,
      });
    }
    throw new CountersignError("proof_unknown_key", `No secret given for key ${proof.kid}`, {
      pauseId: proof.pause_id,
    });
  }

  async function checkEd25519(proof: Proof, keys: readonly PublicJwk[], input: string): Promise<void> {
    let known = false;
    for (const signature of proof.signatures) {
      const jwk = keys.find((key) => key.kid === signature.kid);
      if (!jwk) continue;
      known = true;
      const bytes = backend.decodeBase64(signature.sig);
      // An Ed25519 signature is 64 bytes; anything else cannot verify on any backend.
      if (bytes?.length === 64 && (await backend.verifyEd25519(await caches.publicKey(jwk), input, bytes))) {
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
    if (options.action !== undefined)
      expected = await actionDigest(approvedAction(options.action, proof.data));
    if (expected !== undefined && expected !== proof.action_digest) {
      throw new CountersignError("proof_digest_mismatch", "The proof was issued for a different action", {
        pauseId: proof.pause_id,
      });
    }
  }

  /**
   * Verifies a decision proof offline (given as JSON text, UTF-8 bytes or a
   * parsed object). Every failure throws a `CountersignError` with a `proof_*`
   * code; a caller that gets no `VerifiedProof` must not act.
   */
  return async function verifyProof(input, options) {
    const proof = readProof(input);
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
        { pauseId: options.pauseId },
      );
    }
    await checkDigest(proof, options);
    const approved = proof.decision === "approved";
    if ((options.require ?? "approved") === "approved" && !approved) {
      const why = proof.reason ? `: ${proof.reason}` : "";
      throw new CountersignError("proof_not_approved", `The action was ${proof.decision}${why}`, { pauseId });
    }
    // An approval is a permission with a deadline; a rejection stays a rejection.
    if (approved && !approvalIsCurrent(proof, options)) {
      throw new CountersignError("proof_expired", `The approval was valid until ${proof.valid_until}`, {
        pauseId,
      });
    }
    return { proof, approved, data: proof.data, verifiedWith };
  };
}
