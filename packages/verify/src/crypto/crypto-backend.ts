/**
 * The few primitives a verifier needs, implemented once on WebCrypto (every
 * runtime) and once on `node:crypto` (synchronous, several times faster on
 * Node). Everything above this interface is shared, so both give the same
 * answer on the same bytes; the shared test vectors run against both.
 * A backend may answer synchronously or with a promise.
 */
export interface CryptoBackend<Bytes extends Uint8Array, HmacKey, PublicKey> {
  readonly name: "node" | "webcrypto";
  decodeHex(hex: string): Bytes | null;
  decodeBase64(text: string): Bytes | null;
  sha256Hex(text: string): string | Promise<string>;
  importHmacKey(secret: Uint8Array): HmacKey | Promise<HmacKey>;
  /** HMAC-SHA256 of the UTF-8 of `text`, checked against `mac` in constant time. */
  verifyHmac(key: HmacKey, text: string, mac: Bytes): boolean | Promise<boolean>;
  /** Imports an Ed25519 public key from its JWK `x`; throws when it is not one. */
  importEd25519PublicKey(x: string): PublicKey | Promise<PublicKey>;
  /** Ed25519 signature over the UTF-8 of `text`. */
  verifyEd25519(key: PublicKey, text: string, signature: Bytes): boolean | Promise<boolean>;
}

// Type-erased form, for the shared code that only passes keys along.
// biome-ignore lint/suspicious/noExplicitAny: the key types are opaque to the shared code.
export type AnyCryptoBackend = CryptoBackend<Uint8Array, any, any>;
