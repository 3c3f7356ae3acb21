import { hmacKeyId, MIN_PROOF_SECRET_LENGTH } from "@countersign/verify";
import type { PublicJwk } from "../protocol/keys.ts";
import { canonicalJson } from "./canonical-json.ts";
import { toBase64Url, utf8 } from "./encoding.ts";

export { hmacKeyId };

/** The keys a server signs proofs with: one HMAC secret and the current Ed25519 key. */
export interface SigningKeys {
  hmac: { kid: string; key: CryptoKey };
  ed25519: { kid: string; privateKey: CryptoKey; publicJwk: PublicJwk };
}

/** An Ed25519 private key as a JWK, the form a server keeps on disk. */
export interface PrivateEd25519Jwk {
  kty: "OKP";
  crv: "Ed25519";
  x: string;
  d: string;
  kid?: string;
}

export async function importHmacKey(
  secret: string,
  usages: KeyUsage[] = ["sign", "verify"],
): Promise<CryptoKey> {
  if (secret.length < MIN_PROOF_SECRET_LENGTH) {
    throw new TypeError(`a proof secret needs at least ${MIN_PROOF_SECRET_LENGTH} characters`);
  }
  return crypto.subtle.importKey("raw", utf8(secret), { name: "HMAC", hash: "SHA-256" }, false, usages);
}

/** RFC 7638 thumbprint of an Ed25519 key: its stable `kid`. */
export async function jwkThumbprint(jwk: { crv: string; kty: string; x: string }): Promise<string> {
  const digest = await crypto.subtle.digest(
    "SHA-256",
    utf8(canonicalJson({ crv: jwk.crv, kty: jwk.kty, x: jwk.x })),
  );
  return toBase64Url(digest);
}

export async function generateEd25519Jwk(): Promise<PrivateEd25519Jwk> {
  const pair = (await crypto.subtle.generateKey({ name: "Ed25519" }, true, [
    "sign",
    "verify",
  ])) as CryptoKeyPair;
  const jwk = (await crypto.subtle.exportKey("jwk", pair.privateKey)) as JsonWebKey;
  return {
    kty: "OKP",
    crv: "Ed25519",
    x: jwk.x!,
    d: jwk.d!,
    kid: await jwkThumbprint({ kty: "OKP", crv: "Ed25519", x: jwk.x! }),
  };
}

export async function publicJwkOf(jwk: { x: string; kid?: string }): Promise<PublicJwk> {
  const kid = jwk.kid ?? (await jwkThumbprint({ kty: "OKP", crv: "Ed25519", x: jwk.x }));
  return { kty: "OKP", crv: "Ed25519", x: jwk.x, kid, alg: "EdDSA", use: "sig" };
}

export async function importEd25519PublicKey(jwk: PublicJwk): Promise<CryptoKey> {
  return crypto.subtle.importKey(
    "jwk",
    { kty: "OKP", crv: "Ed25519", x: jwk.x },
    { name: "Ed25519" },
    false,
    ["verify"],
  );
}

/** Builds the signing keys from a proof secret and an Ed25519 private JWK. */
export async function loadSigningKeys(options: {
  secret: string;
  ed25519: PrivateEd25519Jwk;
}): Promise<SigningKeys> {
  const publicJwk = await publicJwkOf(options.ed25519);
  const privateKey = await crypto.subtle.importKey(
    "jwk",
    { kty: "OKP", crv: "Ed25519", x: options.ed25519.x, d: options.ed25519.d },
    { name: "Ed25519" },
    false,
    ["sign"],
  );
  return {
    hmac: {
      kid: await hmacKeyId(options.secret),
      key: await importHmacKey(options.secret, ["sign", "verify"]),
    },
    ed25519: { kid: publicJwk.kid, privateKey, publicJwk },
  };
}
