// @countersign/verify, Node entry (the `node` export condition): every export
// of the WebCrypto entry, with the keyed checks bound to node:crypto instead.
// Names exported here shadow the same names from `export *`.

export {
  actionDigest,
  hmacKeyId,
  sha256Hex,
  VERIFIER_BACKEND,
  verifyProof,
  verifyReceipt,
  verifyWebhookSignature,
} from "./crypto/node-crypto-bindings.ts";
export * from "./index.ts";
