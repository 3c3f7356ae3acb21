/** An Ed25519 public key as a JWK (RFC 8037), as `GET /v1/keys` serves it. */
export type PublicJwk = {
  kty: "OKP";
  crv: "Ed25519";
  x: string;
  kid: string;
  alg?: "EdDSA";
  use?: "sig";
  [key: string]: unknown;
};

export type JwkSet = {
  keys: PublicJwk[];
  [key: string]: unknown;
};
