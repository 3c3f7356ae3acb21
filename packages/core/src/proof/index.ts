// The header that carries a proof to a proof-gated endpoint (@countersign/enforce).
// Execution receipts are verified by @countersign/verify, like proofs.
export {
  encodeProofHeader,
  PROOF_HEADER,
  proofHeaders,
  type VerifiedReceipt,
  type VerifyReceiptOptions,
  verifyReceipt,
} from "@countersign/verify";
export { actionDigest, approvedAction } from "./action-digest.ts";
export { canonicalJson } from "./canonical-json.ts";
export {
  fromBase64,
  fromHex,
  sha256Hex,
  timingSafeEqual,
  toBase64,
  toBase64Url,
  toHex,
  utf8,
} from "./encoding.ts";
export { resultDigest } from "./result-digest.ts";
export { proofSigningInput, signProof } from "./sign-proof.ts";
export { receiptSigningInput, signReceipt } from "./sign-receipt.ts";
export {
  generateEd25519Jwk,
  hmacKeyId,
  importEd25519PublicKey,
  importHmacKey,
  jwkThumbprint,
  loadSigningKeys,
  type PrivateEd25519Jwk,
  publicJwkOf,
  type SigningKeys,
} from "./signing-keys.ts";
export { type VerifiedProof, type VerifyProofOptions, verifyProof } from "./verify-proof.ts";
