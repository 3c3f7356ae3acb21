import { beforeAll, describe, expect, it } from "vitest";
import { CountersignError } from "../errors/countersign-error.ts";
import type { Action } from "../protocol/action.ts";
import type { Proof } from "../protocol/proof.ts";
import { actionDigest } from "./action-digest.ts";
import { signProof } from "./sign-proof.ts";
import {
  generateEd25519Jwk,
  loadSigningKeys,
  type PrivateEd25519Jwk,
  publicJwkOf,
  type SigningKeys,
} from "./signing-keys.ts";
import { verifyProof } from "./verify-proof.ts";

const secret = "test-proof-secret-0123456789abcdef0123456789";
const action: Action = {
  type: "payment",
  title: "Pay Acme Corp $12,450",
  data: { payee: "Acme Corp", amount: 12450 },
};
const now = new Date("2026-11-21T10:00:00.000Z");

let keys: SigningKeys;
let jwk: PrivateEd25519Jwk;
let proof: Proof;

async function issue(overrides: Partial<Proof> = {}, forAction: Action = action): Promise<Proof> {
  return signProof(
    {
      v: 1,
      proof_id: "prf_test",
      pause_id: "pau_test",
      agent_id: "billing-agent",
      action_digest: await actionDigest(forAction),
      decision: "approved",
      human_response: true,
      decided_by: { kind: "human", id: "alice@acme.com", channel: "web" },
      reason: null,
      data: null,
      issued_at: "2026-11-21T09:59:00.000Z",
      valid_until: "2026-11-21T10:14:00.000Z",
      ...overrides,
    },
    keys,
  );
}

async function expectCode(promise: Promise<unknown>, code: string): Promise<void> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(CountersignError);
  expect((error as CountersignError).code).toBe(code);
}

beforeAll(async () => {
  jwk = await generateEd25519Jwk();
  keys = await loadSigningKeys({ secret, ed25519: jwk });
  proof = await issue();
});

describe("verifyProof", () => {
  const expected = () => ({ secret, pauseId: "pau_test", action, now });

  it("accepts a genuine approval with the secret, with the public key alone, and with both", async () => {
    const publicKeys = [await publicJwkOf(jwk)];
    expect((await verifyProof(proof, expected())).verifiedWith).toEqual(["hmac"]);
    expect(
      (await verifyProof(proof, { keys: publicKeys, pauseId: "pau_test", action, now })).verifiedWith,
    ).toEqual(["ed25519"]);
    const both = await verifyProof(JSON.stringify(proof), { ...expected(), keys: { keys: publicKeys } });
    expect(both.approved).toBe(true);
    expect(both.verifiedWith).toEqual(["hmac", "ed25519"]);
  });

  // One test per tampered field: any change to signed content breaks both signatures.
  const tamperings: [string, (p: Proof) => Record<string, unknown>][] = [
    ["proof_id", (p) => ({ ...p, proof_id: "prf_other" })],
    ["agent_id", (p) => ({ ...p, agent_id: "other-agent" })],
    ["decision", (p) => ({ ...p, decision: "rejected" })],
    ["human_response", (p) => ({ ...p, human_response: false })],
    ["decided_by", (p) => ({ ...p, decided_by: { kind: "human", id: "mallory@acme.com", channel: "web" } })],
    ["reason", (p) => ({ ...p, reason: "because" })],
    ["data", (p) => ({ ...p, data: { payee: "Mallory", amount: 12450 } })],
    ["issued_at", (p) => ({ ...p, issued_at: "2026-11-21T09:58:00.000Z" })],
    ["valid_until", (p) => ({ ...p, valid_until: "2027-11-21T10:14:00.000Z" })],
    ["an added field", (p) => ({ ...p, extra: "smuggled" })],
  ];
  for (const [field, tamper] of tamperings) {
    it(`rejects a proof whose ${field} was changed (HMAC and Ed25519)`, async () => {
      const forged = tamper(proof);
      await expectCode(verifyProof(forged, expected()), "proof_invalid_signature");
      await expectCode(
        verifyProof(forged, { keys: [await publicJwkOf(jwk)], now }),
        "proof_invalid_signature",
      );
    });
  }

  it("rejects a changed pause_id as tampering, and a genuine proof for another pause as wrong_pause", async () => {
    await expectCode(verifyProof({ ...proof, pause_id: "pau_other" }, expected()), "proof_invalid_signature");
    await expectCode(verifyProof(proof, { ...expected(), pauseId: "pau_other" }), "proof_wrong_pause");
  });

  it("rejects a changed action_digest, and a genuine proof for another action", async () => {
    const otherDigest = await actionDigest({ ...action, data: { payee: "Acme Corp", amount: 99999 } });
    await expectCode(
      verifyProof({ ...proof, action_digest: otherDigest }, expected()),
      "proof_invalid_signature",
    );
    await expectCode(
      verifyProof(proof, {
        ...expected(),
        action: { ...action, data: { payee: "Acme Corp", amount: 99999 } },
      }),
      "proof_digest_mismatch",
    );
  });

  it("rejects a changed or garbled signature, and an Ed25519 signature moved to another kid", async () => {
    await expectCode(
      verifyProof({ ...proof, signature: `sha256=${"0".repeat(64)}` }, expected()),
      "proof_invalid_signature",
    );
    const garbled = { ...proof, signatures: [{ ...proof.signatures[0]!, sig: "AAAA" }] };
    await expectCode(
      verifyProof(garbled, { keys: [await publicJwkOf(jwk)], now }),
      "proof_invalid_signature",
    );
    const otherKey = await publicJwkOf(await generateEd25519Jwk());
    await expectCode(verifyProof(proof, { keys: [otherKey], now }), "proof_unknown_key");
  });

  it("rejects a proof signed with another secret, and a changed kid", async () => {
    await expectCode(
      verifyProof(proof, { ...expected(), secret: "another-secret-another-secret-another-secret" }),
      "proof_unknown_key",
    );
    await expectCode(verifyProof({ ...proof, kid: "hs_0000000000000000" }, expected()), "proof_unknown_key");
  });

  it("refuses to verify with a secret too short to be a proof secret", async () => {
    await expectCode(verifyProof(proof, { ...expected(), secret: "short" }), "invalid_request");
  });

  it("rejects an unknown version and a malformed proof", async () => {
    await expectCode(verifyProof({ ...proof, v: 2 }, expected()), "proof_unsupported_version");
    await expectCode(verifyProof({ ...proof, decision: "maybe" }, expected()), "proof_malformed");
    await expectCode(verifyProof("{not json", expected()), "proof_malformed");
    await expectCode(verifyProof(proof, { pauseId: "pau_test" }), "proof_unknown_key");
  });

  it("treats a genuine rejection as not approved, unless the caller only wants the decision", async () => {
    const rejected = await issue({ decision: "rejected", reason: "Over budget" });
    const error = await verifyProof(rejected, expected()).catch((caught: CountersignError) => caught);
    expect((error as CountersignError).code).toBe("proof_not_approved");
    expect((error as CountersignError).message).toContain("Over budget");
    const decided = await verifyProof(rejected, { ...expected(), require: "decided" });
    expect(decided.approved).toBe(false);
  });

  it("rejects an approval past valid_until beyond the clock-skew allowance", async () => {
    await expect(
      verifyProof(proof, { ...expected(), now: new Date("2026-11-21T10:14:20.000Z") }),
    ).resolves.toBeTruthy();
    await expectCode(
      verifyProof(proof, { ...expected(), now: new Date("2026-11-21T10:14:31.000Z") }),
      "proof_expired",
    );
  });

  it("binds edited arguments: the digest covers the action as approved", async () => {
    const edited = { payee: "Acme Corp", amount: 10000 };
    const editedProof = await issue({ data: edited }, { ...action, data: edited });
    const verified = await verifyProof(editedProof, expected());
    expect(verified.data).toEqual(edited);
    await expectCode(
      verifyProof({ ...editedProof, data: action.data }, expected()),
      "proof_invalid_signature",
    );
  });
});
