import { describe, expect, it } from "vitest";
import * as nodeEntry from "../crypto/node-crypto-bindings.ts";
import * as webEntry from "../crypto/web-crypto-bindings.ts";
import { toBase64Url, toHex, utf8 } from "../encoding/encoding.ts";
import type { PublicJwk } from "../protocol/keys.ts";
import type { Receipt, UnsignedReceipt } from "../protocol/receipt.ts";
import { receiptSigningText } from "./verify-receipt.ts";

const SECRET = "cs_proof_receipt-test-secret-of-enough-length";

async function signedReceipt(): Promise<{ receipt: Receipt; jwk: PublicJwk }> {
  const pair = (await crypto.subtle.generateKey({ name: "Ed25519" }, true, [
    "sign",
    "verify",
  ])) as CryptoKeyPair;
  const exported = (await crypto.subtle.exportKey("jwk", pair.publicKey)) as JsonWebKey;
  const jwk: PublicJwk = {
    kty: "OKP",
    crv: "Ed25519",
    x: exported.x!,
    kid: "ed-1",
    alg: "EdDSA",
    use: "sig",
  };
  const unsigned: UnsignedReceipt = {
    v: 1,
    receipt_id: "rcp_1",
    pause_id: "pau_1",
    proof_id: "prf_1",
    agent_id: "billing-agent",
    action_digest: `sha256:${"ab".repeat(32)}`,
    outcome: "succeeded",
    result_digest: `sha256:${"cd".repeat(32)}`,
    error: null,
    reported_by: { kind: "executor", key_id: "key_1", identity: "payments-service" },
    claimed_at: "2026-11-21T10:00:00.000Z",
    reported_at: "2026-11-21T10:00:01.000Z",
    kid: await webEntry.hmacKeyId(SECRET),
  };
  const input = utf8(receiptSigningText(unsigned));
  const hmac = await crypto.subtle.importKey("raw", utf8(SECRET), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  const [mac, signature] = await Promise.all([
    crypto.subtle.sign("HMAC", hmac, input),
    crypto.subtle.sign({ name: "Ed25519" }, pair.privateKey, input),
  ]);
  return {
    receipt: {
      ...unsigned,
      signature: `sha256=${toHex(mac)}`,
      signatures: [{ alg: "Ed25519", kid: "ed-1", sig: toBase64Url(signature) }],
    },
    jwk,
  };
}

for (const [name, entry] of [
  ["webcrypto", webEntry],
  ["node", nodeEntry],
] as const) {
  describe(`verifyReceipt (${name})`, () => {
    it("accepts a receipt signed by a pinned key and the proof secret, as an object, text or bytes", async () => {
      const { receipt, jwk } = await signedReceipt();
      const options = { keys: [jwk], secret: SECRET, pauseId: "pau_1", proofId: "prf_1" };
      for (const input of [receipt, JSON.stringify(receipt), utf8(JSON.stringify(receipt))]) {
        expect(await entry.verifyReceipt(input, options)).toEqual({
          receipt,
          verifiedWith: ["hmac", "ed25519"],
        });
      }
    });

    it("refuses each changed field, another pause or proof, unknown keys and malformed input", async () => {
      const { receipt, jwk } = await signedReceipt();
      const keys = { keys: [jwk] };
      const changes: Partial<Receipt>[] = [
        { outcome: "failed" },
        { result_digest: null },
        { error: "x" },
        { proof_id: "prf_2" },
        { action_digest: `sha256:${"ef".repeat(32)}` },
        { reported_by: { kind: "agent", key_id: "key_1", identity: "payments-service" } },
        { reported_at: "2026-11-21T11:00:00.000Z" },
      ];
      for (const change of changes) {
        await expect(entry.verifyReceipt({ ...receipt, ...change }, { keys })).rejects.toMatchObject({
          code: "proof_invalid_signature",
        });
        await expect(
          entry.verifyReceipt({ ...receipt, ...change }, { secret: SECRET }),
        ).rejects.toMatchObject({
          code: "proof_invalid_signature",
        });
      }
      await expect(entry.verifyReceipt(receipt, { keys, pauseId: "pau_2" })).rejects.toMatchObject({
        code: "proof_wrong_pause",
      });
      await expect(entry.verifyReceipt(receipt, { keys, proofId: "prf_2" })).rejects.toMatchObject({
        code: "proof_mismatch",
      });
      await expect(entry.verifyReceipt(receipt, { keys: [{ ...jwk, kid: "other" }] })).rejects.toMatchObject({
        code: "proof_unknown_key",
      });
      await expect(entry.verifyReceipt(receipt, {})).rejects.toMatchObject({ code: "proof_unknown_key" });
      await expect(entry.verifyReceipt({ ...receipt, v: 2 }, { keys })).rejects.toMatchObject({
        code: "proof_unsupported_version",
      });
      await expect(entry.verifyReceipt({ ...receipt, outcome: "done" }, { keys })).rejects.toMatchObject({
        code: "proof_malformed",
      });
      const duplicate = `{"v":1,"v":1,${JSON.stringify(receipt).slice(1)}`;
      await expect(entry.verifyReceipt(duplicate, { keys })).rejects.toMatchObject({
        code: "proof_malformed",
      });
    });
  });
}
