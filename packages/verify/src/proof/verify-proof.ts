import type { AnyCryptoBackend } from "../crypto/crypto-backend.ts";
import { CountersignError } from "../errors/countersign-error.ts";
import type { Action } from "../protocol/action.ts";
import type { JwkSet, PublicJwk } from "../protocol/keys.ts";
import { PROOF_VERSION, type Proof } from "../protocol/proof.ts";
import { approvedAction } from "./action-digest.ts";
import { approvalIsCurrent } from "./approval-is-current.ts";
import { createSignatureChecker } from "./check-signatures.ts";
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
  const checkSignatures = createSignatureChecker(backend, caches);

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
    const verifiedWith = await checkSignatures(proof, options, proofSigningText(proof), "proof");
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
