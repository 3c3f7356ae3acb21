import { createVerifier } from "../verifier.ts";
import { webCryptoBackend } from "./web-crypto-backend.ts";

// Every check that needs a key or a hash, on WebCrypto: Node, Bun, Deno, Workers and browsers.
const verifier = createVerifier(webCryptoBackend);

export const VERIFIER_BACKEND = verifier.backend;
export const verifyProof = verifier.verifyProof;
export const verifyReceipt = verifier.verifyReceipt;
export const actionDigest = verifier.actionDigest;
export const hmacKeyId = verifier.hmacKeyId;
export const sha256Hex = verifier.sha256Hex;
export const verifyWebhookSignature = verifier.verifyWebhookSignature;
