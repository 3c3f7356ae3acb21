import {
  createHmac,
  createPublicKey,
  createSecretKey,
  hash,
  type KeyObject,
  timingSafeEqual,
  verify,
} from "node:crypto";
import { fromBase64 } from "../encoding/encoding.ts";
import type { CryptoBackend } from "./crypto-backend.ts";

/**
 * node:crypto with `KeyObject`s: synchronous, no thread-pool round trip per
 * check (what makes WebCrypto slow on Node for small messages).
 */
export const nodeCryptoBackend: CryptoBackend<Buffer, KeyObject, KeyObject> = {
  name: "node",
  decodeHex(hex) {
    // Buffer.from(…, "hex") stops silently at the first bad pair: check first.
    if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) return null;
    return Buffer.from(hex, "hex");
  },
  decodeBase64(text) {
    // The shared decoder, so both paths accept exactly the same spellings (Buffer's skips bad characters).
    const bytes = fromBase64(text);
    return bytes && Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  },
  // One-shot: no Hash object per call.
  sha256Hex: (text) => hash("sha256", text, "hex"),
  importHmacKey: (secret) => createSecretKey(secret),
  verifyHmac(key, text, mac) {
    const expected = createHmac("sha256", key).update(text, "utf8").digest();
    return mac.length === expected.length && timingSafeEqual(mac, expected);
  },
  importEd25519PublicKey: (x) => createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x }, format: "jwk" }),
  verifyEd25519: (key, text, signature) => verify(null, Buffer.from(text, "utf8"), key, signature),
};
