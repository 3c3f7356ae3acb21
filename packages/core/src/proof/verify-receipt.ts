import { CountersignError } from "../errors/countersign-error.ts";
import type { JwkSet } from "../protocol/keys.ts";
import { type Execution, ExecutionSchema, RECEIPT_VERSION } from "../protocol/receipt.ts";
import { fromBase64 } from "./encoding.ts";
import { receiptSigningInput } from "./sign-receipt.ts";
import { importEd25519PublicKey } from "./signing-keys.ts";

/**
 * Checks an execution receipt's Ed25519 signature against pinned public keys
 * (`GET /v1/keys`, stored with your config), and that it is for `pauseId`
 * when given. Returns the receipt; throws a `CountersignError` otherwise.
 * A receipt says what the claimer reported, signed by the server that took it.
 */
export async function verifyReceipt(
  receipt: unknown,
  options: { keys: JwkSet; pauseId?: string },
): Promise<Execution> {
  const parsed = ExecutionSchema.safeParse(receipt);
  if (!parsed.success) throw new CountersignError("proof_malformed", "Not an execution receipt");
  const execution = parsed.data as Execution;
  if (execution.v !== RECEIPT_VERSION) {
    throw new CountersignError(
      "proof_unsupported_version",
      `Receipt version ${execution.v} is not supported`,
    );
  }
  if (options.pauseId !== undefined && execution.pause_id !== options.pauseId) {
    throw new CountersignError("proof_wrong_pause", `The receipt is for ${execution.pause_id}`, {
      pauseId: options.pauseId,
    });
  }
  const input = receiptSigningInput(execution);
  let known = false;
  for (const signature of execution.signatures) {
    const jwk = options.keys.keys.find((key) => key.kid === signature.kid);
    const bytes = fromBase64(signature.sig);
    if (!jwk || !bytes) continue;
    known = true;
    const key = await importEd25519PublicKey(jwk);
    if (await crypto.subtle.verify({ name: "Ed25519" }, key, bytes, input)) return execution;
  }
  throw new CountersignError(
    known ? "proof_invalid_signature" : "proof_unknown_key",
    known
      ? "The receipt's signature does not match: something was changed"
      : "No pinned key signed this receipt",
    { pauseId: execution.pause_id },
  );
}
