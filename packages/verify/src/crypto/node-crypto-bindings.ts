import { createVerifier } from "../verifier.ts";
import { nodeCryptoBackend } from "./node-crypto-backend.ts";

// Every check that needs a key or a hash, on node:crypto with cached KeyObjects (Node only).
const verifier = createVerifier(nodeCryptoBackend);

export const VERIFIER_BACKEND = verifier.backend;
export const verifyProof = verifier.verifyProof;
export const verifyReceipt = verifier.verifyReceipt;
export const actionDigest = verifier.actionDigest;
export const hmacKeyId = verifier.hmacKeyId;
export const sha256Hex = verifier.sha256Hex;
export const verifyWebhookSignature = verifier.verifyWebhookSignature;
