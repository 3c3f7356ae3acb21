// @countersign/verify, WebCrypto entry (browsers, Workers, Deno, Bun; the default).
// The `node` condition picks index.node.ts: the same exports on node:crypto.
export {
  actionDigest,
  hmacKeyId,
  sha256Hex,
  VERIFIER_BACKEND,
  verifyProof,
  verifyReceipt,
  verifyWebhookSignature,
} from "./crypto/web-crypto-bindings.ts";
export {
  fromBase64,
  fromHex,
  timingSafeEqual,
  toBase64,
  toBase64Url,
  toHex,
  utf8,
} from "./encoding/encoding.ts";
export {
  CountersignError,
  type CountersignErrorDetails,
  isCountersignError,
} from "./errors/countersign-error.ts";
export { ERROR_STATUS, ERROR_TITLES, type ErrorCode } from "./errors/error-codes.ts";
export { canonicalJson } from "./json/canonical-json.ts";
export {
  checkJsonValue,
  type JsonCheck,
  type JsonLimits,
  MAX_JSON_DEPTH,
  REFUSED_MEMBER_NAMES,
} from "./json/json-check.ts";
export { type ParsedJson, parseJson, parseJsonText } from "./json/parse-json.ts";
export { approvedAction } from "./proof/action-digest.ts";
export {
  approvalIsCurrent,
  type ClockOptions,
  DEFAULT_CLOCK_SKEW_SECONDS,
} from "./proof/approval-is-current.ts";
export {
  decodeProofHeader,
  encodeProofHeader,
  MAX_PROOF_HEADER_LENGTH,
  PROOF_HEADER,
  proofHeaders,
} from "./proof/proof-header.ts";
export { readProof } from "./proof/read-proof.ts";
export { proofSigningInput, proofSigningText } from "./proof/signing-input.ts";
export type { VerifiedProof, VerifyProof, VerifyProofOptions } from "./proof/verify-proof.ts";
export {
  readReceipt,
  receiptSigningText,
  type VerifiedReceipt,
  type VerifyReceipt,
  type VerifyReceiptOptions,
} from "./proof/verify-receipt.ts";
export type { Action, ActionData, Risk } from "./protocol/action.ts";
export type { JsonValue } from "./protocol/json-value.ts";
export type { JwkSet, PublicJwk } from "./protocol/keys.ts";
export {
  type Decider,
  type Ed25519Signature,
  MIN_PROOF_SECRET_LENGTH,
  PROOF_SIGNING_PREFIX,
  PROOF_VERSION,
  type Proof,
  type ProofDecision,
  type UnsignedProof,
} from "./protocol/proof.ts";
export {
  type ExecutionOutcome,
  RECEIPT_SIGNING_PREFIX,
  RECEIPT_VERSION,
  type Receipt,
  type UnsignedReceipt,
} from "./protocol/receipt.ts";
export type { Verifier } from "./verifier.ts";
export {
  DEFAULT_WEBHOOK_TOLERANCE_SECONDS,
  decodeWebhookSecret,
  type VerifiedWebhook,
  type VerifyWebhookOptions,
  type VerifyWebhookSignature,
  type WebhookHeaderInput,
} from "./webhooks/standard-webhooks.ts";
