import { createHash, createHmac, createPublicKey, timingSafeEqual, verify } from "node:crypto";
import { actionDigest, approvedAction } from "./action-digest.ts";
import { canonicalJson } from "./canonical-json.ts";
import { VerificationError } from "./verification-error.ts";
import type { Action, Proof, PublicJwk } from "./wire-types.ts";

// Offline verification of a Countersign decision proof (protocol v1), a copy of
// @countersign/core's `verifyProof` on node:crypto. The signed bytes are
// "countersign.proof.v1." + JCS(proof without `signature` and `signatures`).

const PROOF_VERSION = 1;
const SIGNING_PREFIX = "countersign.proof.v1.";
const DECISIONS = ["approved", "rejected", "expired"];

export interface VerifyDecisionProofOptions {
  /** The proof secret, for the HMAC `signature`. Give this, `keys`, or both (then both must hold). */
  secret?: string;
  /** Ed25519 public keys (`GET /v1/keys`), for `signatures[]`. */
  keys?: readonly PublicJwk[];
  /** The pause this proof must be for. */
  pauseId: string;
  /** The action as it was requested; the proof's edits are applied before comparing digests. */
  action: Action;
}

export interface VerifiedDecision {
  proof: Proof;
  verifiedWith: ("hmac" | "ed25519")[];
}

/**
 * Checks that a proof is authentic and is about this pause and this action.
 * It does not judge the decision: an authentic rejection verifies too. Every
 * failure throws a `VerificationError`; the caller must not act on the proof then.
 */
export function verifyDecisionProof(input: unknown, options: VerifyDecisionProofOptions): VerifiedDecision {
  const proof = parseProof(input);
  if (proof.v !== PROOF_VERSION) {
    throw new VerificationError("proof_unsupported_version", `Proof version ${proof.v} is not supported`);
  }
  const secret = options.secret ?? "";
  const keys = options.keys ?? [];
  if (secret === "" && keys.length === 0) {
    throw new VerificationError(
      "proof_unknown_key",
      "No proof secret or public key to verify the proof with",
    );
  }
  const { signature: _signature, signatures: _signatures, ...unsigned } = proof;
  const signed = Buffer.from(SIGNING_PREFIX + canonicalJson(unsigned), "utf8");
  const verifiedWith: ("hmac" | "ed25519")[] = [];
  if (secret !== "") {
    checkHmac(proof, secret, signed);
    verifiedWith.push("hmac");
  }
  if (keys.length > 0) {
    checkEd25519(proof, keys, signed);
    verifiedWith.push("ed25519");
  }
  if (proof.pause_id !== options.pauseId) {
    throw new VerificationError(
      "proof_wrong_pause",
      `The proof is for pause ${proof.pause_id}, not ${options.pauseId}`,
    );
  }
  if (actionDigest(approvedAction(options.action, proof.data)) !== proof.action_digest) {
    throw new VerificationError("proof_digest_mismatch", "The proof was issued for a different action");
  }
  return { proof, verifiedWith };
}

/** Whether an approval may still be acted on: `valid_until` not passed, with a clock-skew allowance. */
export function approvalIsCurrent(proof: Proof, now: Date = new Date(), clockSkewSeconds = 30): boolean {
  return Date.parse(proof.valid_until) + clockSkewSeconds * 1000 >= now.getTime();
}

/** Key id of an HMAC proof secret, as the server computes it. */
export function hmacKeyId(secret: string): string {
  return `hs_${createHash("sha256").update(`countersign.kid.${secret}`, "utf8").digest("hex").slice(0, 16)}`;
}

function checkHmac(proof: Proof, secret: string, signed: Buffer): void {
  if (hmacKeyId(secret) !== proof.kid) {
    throw new VerificationError(
      "proof_unknown_key",
      `The proof is signed with key ${proof.kid}, not this secret`,
    );
  }
  const expected = createHmac("sha256", Buffer.from(secret, "utf8")).update(signed).digest();
  const presented = Buffer.from(proof.signature.slice("sha256=".length), "hex");
  if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) {
    throw new VerificationError("proof_invalid_signature", "The proof's HMAC signature does not verify");
  }
}

function checkEd25519(proof: Proof, keys: readonly PublicJwk[], signed: Buffer): void {
  let known = false;
  for (const signature of proof.signatures) {
    const jwk = keys.find((key) => key.kid === signature.kid);
    if (!jwk) continue;
    known = true;
    const publicKey = createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: jwk.x }, format: "jwk" });
    const bytes = Buffer.from(signature.sig, "base64url");
    if (verify(null, signed, publicKey, bytes)) return;
  }
  if (!known) {
    throw new VerificationError(
      "proof_unknown_key",
      "The proof is signed by no key in the configured key set",
    );
  }
  throw new VerificationError("proof_invalid_signature", "The proof's Ed25519 signature does not verify");
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Checks the shape a verifier relies on, naming every field that is wrong. */
function parseProof(input: unknown): Proof {
  if (!isRecord(input)) throw new VerificationError("proof_malformed", "The proof is not a JSON object");
  const wrong: string[] = [];
  const string = (field: string) => typeof input[field] === "string" && input[field] !== "";
  for (const field of ["proof_id", "pause_id", "agent_id", "kid"]) if (!string(field)) wrong.push(field);
  for (const field of ["issued_at", "valid_until"]) {
    if (typeof input[field] !== "string" || Number.isNaN(Date.parse(input[field] as string)))
      wrong.push(field);
  }
  if (typeof input.v !== "number") wrong.push("v");
  if (typeof input.action_digest !== "string" || !/^sha256:[0-9a-f]{64}$/.test(input.action_digest)) {
    wrong.push("action_digest");
  }
  if (!DECISIONS.includes(input.decision as string)) wrong.push("decision");
  if (typeof input.human_response !== "boolean") wrong.push("human_response");
  const decider = input.decided_by;
  if (!isRecord(decider) || !["human", "policy", "timeout"].includes(decider.kind as string) || !decider.id) {
    wrong.push("decided_by");
  }
  if (input.reason !== null && typeof input.reason !== "string") wrong.push("reason");
  if (input.data !== null && !isRecord(input.data)) wrong.push("data");
  if (typeof input.signature !== "string" || !/^sha256=[0-9a-f]{64}$/.test(input.signature)) {
    wrong.push("signature");
  }
  const signatures = input.signatures;
  if (
    !Array.isArray(signatures) ||
    !signatures.every(
      (entry) =>
        isRecord(entry) &&
        entry.alg === "Ed25519" &&
        typeof entry.kid === "string" &&
        typeof entry.sig === "string" &&
        /^[A-Za-z0-9+/_-]+={0,2}$/.test(entry.sig),
    )
  ) {
    wrong.push("signatures");
  }
  if (wrong.length > 0) {
    throw new VerificationError("proof_malformed", `The proof is malformed at: ${wrong.join(", ")}`);
  }
  return input as Proof;
}
