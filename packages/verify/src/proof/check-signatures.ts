import type { AnyCryptoBackend } from "../crypto/crypto-backend.ts";
import { CountersignError } from "../errors/countersign-error.ts";
import type { JwkSet, PublicJwk } from "../protocol/keys.ts";
import type { KeyCaches } from "./key-caches.ts";

/** What proofs and receipts share: an HMAC `signature` under `kid`, and Ed25519 `signatures[]`. */
export interface SignedObject {
  pause_id: string;
  kid: string;
  signature: string;
  signatures: readonly { kid: string; sig: string }[];
}

/** The trust anchors to check with: secret(s) for the HMAC, pinned public keys for Ed25519, or both. */
export interface SignatureAnchors {
  secret?: string | readonly string[] | undefined;
  keys?: JwkSet | readonly PublicJwk[] | undefined;
}

export type SignatureMethod = "hmac" | "ed25519";

/**
 * Checks a signed object's signatures over `input` (its signing text, canonicalised once by
 * the caller) against every anchor kind given: with a secret and keys, both must hold. Throws
 * `proof_unknown_key` (no anchor, or none that signed it) or `proof_invalid_signature`.
 * `what` names the object in messages ("proof", "receipt").
 */
export function createSignatureChecker(backend: AnyCryptoBackend, caches: KeyCaches) {
  async function checkHmac(signed: SignedObject, secrets: readonly string[], input: string, what: string) {
    const mac = backend.decodeHex(signed.signature.slice("sha256=".length));
    for (const secret of secrets) {
      const { kid, key } = await caches.hmacKey(secret);
      if (kid !== signed.kid) continue;
      if (mac && (await backend.verifyHmac(key, input, mac))) return;
      throw new CountersignError("proof_invalid_signature", `The ${what}'s HMAC signature does not verify`, {
        pauseId: signed.pause_id,
      });
    }
    throw new CountersignError("proof_unknown_key", `No secret given for key ${signed.kid}`, {
      pauseId: signed.pause_id,
    });
  }

  async function checkEd25519(signed: SignedObject, keys: readonly PublicJwk[], input: string, what: string) {
    let known = false;
    for (const signature of signed.signatures) {
      const jwk = keys.find((key) => key.kid === signature.kid);
      if (!jwk) continue;
      known = true;
      const bytes = backend.decodeBase64(signature.sig);
      // An Ed25519 signature is 64 bytes; anything else cannot verify on any backend.
      if (bytes?.length === 64 && (await backend.verifyEd25519(await caches.publicKey(jwk), input, bytes))) {
        return;
      }
    }
    throw new CountersignError(
      known ? "proof_invalid_signature" : "proof_unknown_key",
      known
        ? `The ${what}'s Ed25519 signature does not verify`
        : `The ${what} is signed by no key in the given key set`,
      { pauseId: signed.pause_id },
    );
  }

  return async function checkSignatures(
    signed: SignedObject,
    anchors: SignatureAnchors,
    input: string,
    what: string,
  ): Promise<SignatureMethod[]> {
    const secrets =
      anchors.secret === undefined
        ? []
        : typeof anchors.secret === "string"
          ? [anchors.secret]
          : anchors.secret;
    const keys =
      anchors.keys === undefined
        ? []
        : Array.isArray(anchors.keys)
          ? anchors.keys
          : (anchors.keys as JwkSet).keys;
    if (secrets.length === 0 && keys.length === 0) {
      throw new CountersignError(
        "proof_unknown_key",
        `No secret or public key given to verify the ${what} with`,
      );
    }
    const verifiedWith: SignatureMethod[] = [];
    if (secrets.length > 0) {
      await checkHmac(signed, secrets, input, what);
      verifiedWith.push("hmac");
    }
    if (keys.length > 0) {
      await checkEd25519(signed, keys, input, what);
      verifiedWith.push("ed25519");
    }
    return verifiedWith;
  };
}
