import { fromBase64, fromHex, toHex, utf8 } from "../encoding/encoding.ts";
import type { CryptoBackend } from "./crypto-backend.ts";

type Bytes = Uint8Array<ArrayBuffer>;

function subtle(): SubtleCrypto {
  const found = globalThis.crypto?.subtle;
  // Browsers expose WebCrypto on secure origins only (https, localhost).
  if (!found) throw new TypeError("WebCrypto (crypto.subtle) is not available here");
  return found;
}

/** WebCrypto: Node, Bun, Deno, Workers and browsers. Every call is asynchronous. */
export const webCryptoBackend: CryptoBackend<Bytes, CryptoKey, CryptoKey> = {
  name: "webcrypto",
  decodeHex: fromHex,
  decodeBase64: fromBase64,
  async sha256Hex(text) {
    return toHex(await subtle().digest("SHA-256", utf8(text)));
  },
  importHmacKey(secret) {
    return subtle().importKey("raw", secret as Bytes, { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
  },
  // subtle.verify compares in constant time.
  verifyHmac(key, text, mac) {
    return subtle().verify("HMAC", key, mac, utf8(text));
  },
  importEd25519PublicKey(x) {
    return subtle().importKey("jwk", { kty: "OKP", crv: "Ed25519", x }, { name: "Ed25519" }, false, [
      "verify",
    ]);
  },
  verifyEd25519(key, text, signature) {
    return subtle().verify({ name: "Ed25519" }, key, signature, utf8(text));
  },
};
