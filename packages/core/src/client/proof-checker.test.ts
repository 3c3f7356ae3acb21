import { beforeAll, describe, expect, it } from "vitest";
import { actionDigest } from "../proof/action-digest.ts";
import { signProof } from "../proof/sign-proof.ts";
import { generateEd25519Jwk, loadSigningKeys, publicJwkOf, type SigningKeys } from "../proof/signing-keys.ts";
import type { Action } from "../protocol/action.ts";
import type { JwkSet } from "../protocol/keys.ts";
import type { Proof } from "../protocol/proof.ts";
import { createProofChecker } from "./proof-checker.ts";

const secret = "proof-checker-secret-0123456789abcdef012345";
const action: Action = { type: "refund", data: { amount: 80 } };

async function issue(keys: SigningKeys, decision: "approved" | "rejected"): Promise<Proof> {
  const now = Date.now();
  return signProof(
    {
      v: 1,
      proof_id: "prf_checker",
      pause_id: "pau_checker",
      agent_id: "support-bot",
      action_digest: await actionDigest(action),
      decision,
      human_response: true,
      decided_by: { kind: "human", id: "alice@example.com", channel: "web" },
      reason: decision === "rejected" ? "No receipt" : null,
      data: null,
      issued_at: new Date(now).toISOString(),
      valid_until: new Date(now + 60_000).toISOString(),
    },
    keys,
  );
}

let oldKeys: SigningKeys;
let newKeys: SigningKeys;
let oldSet: JwkSet;
let bothSet: JwkSet;
beforeAll(async () => {
  const oldJwk = await generateEd25519Jwk();
  const newJwk = await generateEd25519Jwk();
  oldKeys = await loadSigningKeys({ secret, ed25519: oldJwk });
  newKeys = await loadSigningKeys({ secret, ed25519: newJwk });
  oldSet = { keys: [await publicJwkOf(oldJwk)] };
  bothSet = { keys: [await publicJwkOf(oldJwk), await publicJwkOf(newJwk)] };
});

describe("createProofChecker", () => {
  const expected = { pauseId: "pau_checker", action };

  it("refuses to be built without a trust anchor, and never asks the server", () => {
    expect(() =>
      createProofChecker(
        undefined,
        { getKeys: () => Promise.reject(new Error("must not be asked")) },
        { require: "approved" },
      ),
    ).toThrow(/No trust anchor for decision proofs/);
  });

  it("accepts only keys whose thumbprint is pinned: a server that serves its own key is not believed", async () => {
    const impostorJwk = await generateEd25519Jwk();
    const impostor = await loadSigningKeys({ secret: `${secret}-other`, ed25519: impostorJwk });
    const impostorSet = { keys: [await publicJwkOf(impostorJwk)] };
    const pinned = [oldSet.keys[0]!.kid];
    const check = createProofChecker(
      { thumbprints: pinned },
      { getKeys: async () => ({ keys: [...oldSet.keys, ...impostorSet.keys] }) },
      { require: "approved" },
    );
    expect((await check(await issue(oldKeys, "approved"), expected)).approved).toBe(true);
    await expect(check(await issue(impostor, "approved"), expected)).rejects.toMatchObject({
      code: "proof_unknown_key",
    });
    // Served under the pinned kid: the thumbprint, not the claimed kid, decides.
    const relabelled = createProofChecker(
      { thumbprints: pinned },
      { getKeys: async () => ({ keys: [{ ...impostorSet.keys[0]!, kid: pinned[0]! }] }) },
      { require: "approved" },
    );
    await expect(relabelled(await issue(impostor, "approved"), expected)).rejects.toMatchObject({
      code: "proof_unknown_key",
    });
  });

  it("reads pinned keys from COUNTERSIGN_JWKS", async () => {
    process.env.COUNTERSIGN_JWKS = JSON.stringify(oldSet);
    try {
      const check = createProofChecker(
        undefined,
        { getKeys: () => Promise.reject(new Error("must not be asked")) },
        { require: "approved" },
      );
      expect((await check(await issue(oldKeys, "approved"), expected)).verifiedWith).toEqual(["ed25519"]);
      await expect(check(await issue(newKeys, "approved"), expected)).rejects.toMatchObject({
        code: "proof_unknown_key",
      });
    } finally {
      delete process.env.COUNTERSIGN_JWKS;
    }
  });

  it("with trustServerKeys, fetches the server's keys once, and again once when a proof names a rotated-in key", async () => {
    const served = [oldSet, bothSet];
    let fetches = 0;
    const check = createProofChecker(
      { trustServerKeys: true },
      { getKeys: async () => served[Math.min(fetches++, 1)]! },
      { require: "approved" },
    );
    await check(await issue(oldKeys, "approved"), expected);
    await check(await issue(oldKeys, "approved"), expected);
    expect(fetches).toBe(1);
    const verified = await check(await issue(newKeys, "approved"), expected);
    expect(verified.approved).toBe(true);
    expect(fetches).toBe(2);
  });

  it("uses a configured secret without asking the server", async () => {
    const check = createProofChecker(
      { secret },
      { getKeys: () => Promise.reject(new Error("not called")) },
      { require: "approved" },
    );
    expect((await check(await issue(oldKeys, "approved"), expected)).verifiedWith).toEqual(["hmac"]);
  });

  it("passes a rejection only when any authentic decision is wanted", async () => {
    const rejected = await issue(oldKeys, "rejected");
    const approvedOnly = createProofChecker(
      { secret },
      { getKeys: async () => oldSet },
      { require: "approved" },
    );
    await expect(approvedOnly(rejected, expected)).rejects.toMatchObject({ code: "proof_not_approved" });
    const anyDecision = createProofChecker(
      { secret },
      { getKeys: async () => oldSet },
      { require: "decided" },
    );
    expect((await anyDecision(rejected, expected)).approved).toBe(false);
  });

  it("asks again after a failed key fetch instead of caching the failure", async () => {
    let fetches = 0;
    const check = createProofChecker(
      { trustServerKeys: true },
      { getKeys: async () => (fetches++ === 0 ? Promise.reject(new Error("down")) : oldSet) },
      { require: "approved" },
    );
    await expect(check(await issue(oldKeys, "approved"), expected)).rejects.toThrow("down");
    expect((await check(await issue(oldKeys, "approved"), expected)).approved).toBe(true);
  });
});
