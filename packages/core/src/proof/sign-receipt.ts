import { receiptSigningText, type UnsignedReceipt } from "@countersign/verify";
import type { Execution, UnsignedExecution } from "../protocol/receipt.ts";
import { toBase64Url, toHex, utf8 } from "./encoding.ts";
import type { SigningKeys } from "./signing-keys.ts";

/** The bytes a receipt's signatures cover (@countersign/verify's `receiptSigningText`, as UTF-8). */
export function receiptSigningInput(receipt: UnsignedExecution | Execution): Uint8Array<ArrayBuffer> {
  return utf8(receiptSigningText(receipt as UnsignedReceipt));
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
