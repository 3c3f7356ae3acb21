import type { AnyCryptoBackend } from "./crypto/crypto-backend.ts";
import { createActionDigest } from "./proof/action-digest.ts";
import { createHmacKeyId, createKeyCaches } from "./proof/key-caches.ts";
import { createVerifyProof, type VerifyProof } from "./proof/verify-proof.ts";
import { createVerifyReceipt, type VerifyReceipt } from "./proof/verify-receipt.ts";
import type { Action } from "./protocol/action.ts";
import { createVerifyWebhookSignature, type VerifyWebhookSignature } from "./webhooks/standard-webhooks.ts";

/** The functions that need a crypto backend, bound to one. */
export interface Verifier {
  /** `webcrypto` or `node`: which implementation this entry point uses. */
  backend: "webcrypto" | "node";
  verifyProof: VerifyProof;
  /** Verifies a signed execution receipt (`execution` on a pause) against pinned keys. */
  verifyReceipt: VerifyReceipt;
  /** `sha256:<hex>` of the RFC 8785 canonical JSON of an action: what a proof is bound to. */
  actionDigest: (action: Action) => Promise<string>;
  /** The `kid` a proof signed with this secret carries. */
  hmacKeyId: (secret: string) => Promise<string>;
  /** Hex SHA-256 of the UTF-8 of `text`. */
  sha256Hex: (text: string) => Promise<string>;
  verifyWebhookSignature: VerifyWebhookSignature;
}

export function createVerifier(backend: AnyCryptoBackend): Verifier {
  const actionDigest = createActionDigest(backend);
  const caches = createKeyCaches(backend);
  return {
    backend: backend.name,
    verifyProof: createVerifyProof(backend, caches, actionDigest),
    verifyReceipt: createVerifyReceipt(backend, caches),
    actionDigest,
    hmacKeyId: createHmacKeyId(backend),
    sha256Hex: async (text) => backend.sha256Hex(text),
    verifyWebhookSignature: createVerifyWebhookSignature(backend),
  };
}
