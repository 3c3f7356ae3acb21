import {
  type Action,
  actionDigest,
  approvedAction,
  generateEd25519Jwk,
  type JwkSet,
  loadSigningKeys,
  type Proof,
  signProof,
} from "@countersign/core";
import { VERIFIER_BACKEND } from "@countersign/verify";
import { loadTestVectors, proofVectorInput } from "@countersign/verify/testing";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { checkProof } from "./check-proof.ts";

const ACTION: Action = {
  type: "payment",
  title: "Pay Acme Corp $12,450",
  data: { payee: "Acme Corp", amount: 12450, currency: "USD" },
  risk: "high",
};

let keys: Awaited<ReturnType<typeof loadSigningKeys>>;
let jwks: JwkSet;

beforeAll(async () => {
  keys = await loadSigningKeys({ secret: "s".repeat(40), ed25519: await generateEd25519Jwk() });
  jwks = { keys: [keys.ed25519.publicJwk] };
});

/** A proof as the server signs it, with @countersign/core's own signer. */
async function proofFor(decision: "approved" | "rejected", data: Proof["data"] = null): Promise<Proof> {
  return signProof(
    {
      v: 1,
      proof_id: "prf_test",
      pause_id: "pau_test",
      agent_id: "billing-agent",
      action_digest: await actionDigest(approvedAction(ACTION, data)),
      decision,
      human_response: true,
      decided_by: { kind: "human", id: "alice@example.com", channel: "web" },
      reason: decision === "rejected" ? "Duplicate request" : null,
      data,
      issued_at: "2026-11-21T10:00:00.000Z",
      valid_until: "2026-11-21T10:15:00.000Z",
    },
    keys,
  );
}

const expected = { pauseId: "pau_test", action: ACTION };

describe("checking a proof in the browser", () => {
  it("accepts what the server signed, approvals and rejections alike", async () => {
    expect(await checkProof(await proofFor("approved"), expected, jwks)).toEqual({
      valid: true,
      detail: "Checked in this browser with the server's public Ed25519 key, for this exact action.",
    });
    expect((await checkProof(await proofFor("rejected"), expected, jwks)).valid).toBe(true);
  });

  it("accepts an approval with edits, whose digest covers the edited arguments", async () => {
    const proof = await proofFor("approved", { ...ACTION.data, amount: 12000 });
    expect((await checkProof(proof, expected, jwks)).valid).toBe(true);
  });

  it("refuses a proof whose decision, reason or edits were changed after signing", async () => {
    const proof = await proofFor("rejected");
    const flipped = await checkProof({ ...proof, decision: "approved" }, expected, jwks);
    expect(flipped).toEqual({ valid: false, detail: "The Ed25519 signature does not match the proof." });
    expect((await checkProof({ ...proof, reason: "Fine by me" }, expected, jwks)).valid).toBe(false);
    expect((await checkProof({ ...proof, data: { amount: 1 } }, expected, jwks)).valid).toBe(false);
  });

  it("refuses a genuine proof for another pause or another action", async () => {
    const proof = await proofFor("approved");
    expect(await checkProof(proof, { ...expected, pauseId: "pau_other" }, jwks)).toMatchObject({
      valid: false,
      detail: "The proof is for another pause.",
    });
    const other = await checkProof(
      proof,
      { ...expected, action: { ...ACTION, title: "Pay Evil Corp" } },
      jwks,
    );
    expect(other).toEqual({ valid: false, detail: "The signature is genuine, but for a different action." });
  });

  it("refuses a proof signed by a key the server does not publish", async () => {
    const stranger = await loadSigningKeys({ secret: "t".repeat(40), ed25519: await generateEd25519Jwk() });
    const proof = await proofFor("approved");
    expect(await checkProof(proof, expected, { keys: [stranger.ed25519.publicJwk] })).toMatchObject({
      valid: false,
      detail: "The proof is signed by none of this server's keys.",
    });
  });
});

describe("the shared proof vectors, through the inbox's check", () => {
  const vectors = loadTestVectors().proofs.vectors.filter(
    (vector) =>
      vector.options.keys !== undefined &&
      vector.options.pause_id !== undefined &&
      vector.options.action !== undefined &&
      // Checked with the public keys alone: leave out what only the HMAC half decides.
      (vector.options.secrets === undefined ||
        vector.expect.valid ||
        !["proof_invalid_signature", "proof_unknown_key", "invalid_request"].includes(vector.expect.code)),
  );

  it("runs on the WebCrypto path the built page uses", () => {
    expect(VERIFIER_BACKEND).toBe("webcrypto");
    expect(vectors.length).toBeGreaterThan(50);
  });

  for (const vector of vectors) {
    it(vector.name, async () => {
      vi.useFakeTimers({ now: new Date(vector.options.now), toFake: ["Date"] });
      try {
        const check = await checkProof(
          proofVectorInput(vector) as Proof,
          { pauseId: vector.options.pause_id!, action: vector.options.action! },
          { keys: vector.options.keys! },
        );
        // Authenticity only: a genuine rejection, expiry or late approval is a valid proof here.
        const genuine =
          vector.expect.valid || ["proof_not_approved", "proof_expired"].includes(vector.expect.code);
        expect(check.valid).toBe(genuine);
      } finally {
        vi.useRealTimers();
      }
    });
  }
});
