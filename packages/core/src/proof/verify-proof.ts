// Proof verification is @countersign/verify's (node:crypto on Node, WebCrypto elsewhere).
export { type VerifiedProof, type VerifyProofOptions, verifyProof } from "@countersign/verify";
