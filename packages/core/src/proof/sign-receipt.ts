import { type Execution, RECEIPT_SIGNING_PREFIX, type UnsignedExecution } from "../protocol/receipt.ts";
import { canonicalJson } from "./canonical-json.ts";
import { toBase64Url, toHex, utf8 } from "./encoding.ts";
import type { SigningKeys } from "./signing-keys.ts";

/** The bytes a receipt's signatures cover: the receipt prefix and the JCS of every other field. */
export function receiptSigningInput(receipt: Record<string, unknown>): Uint8Array<ArrayBuffer> {
  const { signature: _mac, signatures: _signatures, ...unsigned } = receipt;
  return utf8(RECEIPT_SIGNING_PREFIX + canonicalJson(unsigned));
}

/** Signs an execution receipt with the proof keys: HMAC-SHA256 (`signature`) and Ed25519 (`signatures[]`). */
export async function signReceipt(
  unsigned: Omit<UnsignedExecution, "kid">,
  keys: SigningKeys,
): Promise<Execution> {
  const withKid: UnsignedExecution = { ...unsigned, kid: keys.hmac.kid };
  const input = receiptSigningInput(withKid);
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
