import { proofSigningInput } from "@countersign/verify";
import type { Proof, UnsignedProof } from "../protocol/proof.ts";
import { toBase64Url, toHex } from "./encoding.ts";
import type { SigningKeys } from "./signing-keys.ts";

export { proofSigningInput };

/** Signs a proof with HMAC-SHA256 (`signature`) and Ed25519 (`signatures[]`). The `kid` is set from the keys. */
export async function signProof(unsigned: Omit<UnsignedProof, "kid">, keys: SigningKeys): Promise<Proof> {
  const withKid = { ...unsigned, kid: keys.hmac.kid } as UnsignedProof;
  const input = proofSigningInput(withKid);
  const [mac, ed25519] = await Promise.all([
    crypto.subtle.sign("HMAC", keys.hmac.key, input),
    crypto.subtle.sign({ name: "Ed25519" }, keys.ed25519.privateKey, input),
  ]);
  return {
    ...withKid,
    signature: `sha256=${toHex(mac)}`,
    signatures: [{ alg: "Ed25519", kid: keys.ed25519.kid, sig: toBase64Url(ed25519) }],
  };
}
