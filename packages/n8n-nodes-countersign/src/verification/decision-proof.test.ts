import {
  type Action,
  type Proof as CoreProof,
  actionDigest as coreActionDigest,
  generateEd25519Jwk,
  loadSigningKeys,
  type PrivateEd25519Jwk,
  publicJwkOf,
  type SigningKeys,
  signProof,
} from "@countersign/core";
import { beforeAll, describe, expect, it } from "vitest";
import { actionDigest } from "./action-digest.ts";
import { approvalIsCurrent, hmacKeyId, verifyDecisionProof } from "./decision-proof.ts";
import { VerificationError } from "./verification-error.ts";
import type { PublicJwk } from "./wire-types.ts";

// The proofs here are signed by @countersign/core's real signer, so the bundled
// verifier and the server cannot drift apart without a failing test.

const secret = "n8n-node-test-proof-secret-0123456789abcdef";
const action: Action = {
  type: "refund",
  title: "Refund order #1042",
  body: "Customer reports a **damaged** parcel.",
  data: { order_id: "1042", amount: 129.9, currency: "EUR", items: ["mug", "plate"] },
  risk: "medium",
};

let keys: SigningKeys;
let privateJwk: PrivateEd25519Jwk;
let publicKeys: PublicJwk[];
let proof: CoreProof;

async function issue(overrides: Partial<CoreProof> = {}, forAction: Action = action): Promise<CoreProof> {
  return signProof(
    {
      v: 1,
      proof_id: "prf_test",
      pause_id: "pau_test",
      agent_id: "n8n",
      action_digest: await coreActionDigest(forAction),
      decision: "approved",
      human_response: true,
      decided_by: { kind: "human", id: "alice@example.com", channel: "web" },
      reason: null,
      data: null,
      issued_at: "2026-11-21T09:59:00.000Z",
      valid_until: "2026-11-21T10:14:00.000Z",
      ...overrides,
    },
    keys,
  );
}

function codeOf(run: () => unknown): string | null {
  try {
    run();
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(VerificationError);
    return (error as VerificationError).code;
  }
}

beforeAll(async () => {
  privateJwk = await generateEd25519Jwk();
  keys = await loadSigningKeys({ secret, ed25519: privateJwk });
  publicKeys = [(await publicJwkOf(privateJwk)) as PublicJwk];
  proof = await issue();
});

describe("verifyDecisionProof against proofs signed by @countersign/core", () => {
  const expected = () => ({ pauseId: "pau_test", action });

  it("computes the same action digest and HMAC key id as core", async () => {
    expect(actionDigest(action as never)).toBe(await coreActionDigest(action));
    expect(hmacKeyId(secret)).toBe(keys.hmac.kid);
  });

  it("accepts a genuine proof with the secret, the public keys alone, or both", () => {
    expect(verifyDecisionProof(proof, { ...expected(), secret }).verifiedWith).toEqual(["hmac"]);
    expect(verifyDecisionProof(proof, { ...expected(), keys: publicKeys }).verifiedWith).toEqual(["ed25519"]);
    expect(verifyDecisionProof(proof, { ...expected(), secret, keys: publicKeys }).verifiedWith).toEqual([
      "hmac",
      "ed25519",
    ]);
  });

  const tamperings: [string, (p: CoreProof) => Record<string, unknown>][] = [
    ["proof_id", (p) => ({ ...p, proof_id: "prf_other" })],
    ["pause_id", (p) => ({ ...p, pause_id: "pau_other" })],
    ["agent_id", (p) => ({ ...p, agent_id: "other-agent" })],
    ["decision", (p) => ({ ...p, decision: "rejected" })],
    ["human_response", (p) => ({ ...p, human_response: false })],
    [
      "decided_by",
      (p) => ({ ...p, decided_by: { kind: "human", id: "mallory@example.com", channel: "web" } }),
    ],
    ["reason", (p) => ({ ...p, reason: "because" })],
    ["data", (p) => ({ ...p, data: { order_id: "1042", amount: 9999 } })],
    ["issued_at", (p) => ({ ...p, issued_at: "2026-11-21T09:58:00.000Z" })],
    ["valid_until", (p) => ({ ...p, valid_until: "2027-11-21T10:14:00.000Z" })],
    ["an added field", (p) => ({ ...p, extra: "smuggled" })],
  ];
  for (const [field, tamper] of tamperings) {
    it(`refuses a proof whose ${field} was changed, with HMAC and with Ed25519`, () => {
      const forged = tamper(proof);
      expect(codeOf(() => verifyDecisionProof(forged, { ...expected(), secret }))).toBe(
        "proof_invalid_signature",
      );
      expect(codeOf(() => verifyDecisionProof(forged, { ...expected(), keys: publicKeys }))).toBe(
        "proof_invalid_signature",
      );
    });
  }

  it("refuses a changed action_digest, and a genuine proof for another action or pause", async () => {
    const otherAction = { ...action, data: { order_id: "1042", amount: 9999 } };
    expect(
      codeOf(() =>
        verifyDecisionProof(
          { ...proof, action_digest: actionDigest(otherAction as never) },
          { ...expected(), secret },
        ),
      ),
    ).toBe("proof_invalid_signature");
    expect(
      codeOf(() => verifyDecisionProof(proof, { pauseId: "pau_test", action: otherAction as never, secret })),
    ).toBe("proof_digest_mismatch");
    expect(
      codeOf(() => verifyDecisionProof(proof, { pauseId: "pau_other", action: action as never, secret })),
    ).toBe("proof_wrong_pause");
  });

  it("refuses garbled signatures, another secret, unknown Ed25519 keys and no key at all", async () => {
    expect(
      codeOf(() =>
        verifyDecisionProof({ ...proof, signature: `sha256=${"0".repeat(64)}` }, { ...expected(), secret }),
      ),
    ).toBe("proof_invalid_signature");
    const garbled = { ...proof, signatures: [{ ...proof.signatures[0]!, sig: "AAAA" }] };
    expect(codeOf(() => verifyDecisionProof(garbled, { ...expected(), keys: publicKeys }))).toBe(
      "proof_invalid_signature",
    );
    expect(
      codeOf(() =>
        verifyDecisionProof(proof, { ...expected(), secret: "another-secret-another-secret-another" }),
      ),
    ).toBe("proof_unknown_key");
    const stranger = (await publicJwkOf(await generateEd25519Jwk())) as PublicJwk;
    expect(codeOf(() => verifyDecisionProof(proof, { ...expected(), keys: [stranger] }))).toBe(
      "proof_unknown_key",
    );
    expect(codeOf(() => verifyDecisionProof(proof, expected()))).toBe("proof_unknown_key");
  });

  it("refuses an unknown version and malformed proofs, naming the field", () => {
    expect(codeOf(() => verifyDecisionProof({ ...proof, v: 2 }, { ...expected(), secret }))).toBe(
      "proof_unsupported_version",
    );
    for (const bad of [null, "proof", [], { ...proof, decision: "maybe" }, { ...proof, signatures: "x" }]) {
      expect(codeOf(() => verifyDecisionProof(bad, { ...expected(), secret }))).toBe("proof_malformed");
    }
    expect(() => verifyDecisionProof({ ...proof, decision: "maybe" }, { ...expected(), secret })).toThrow(
      /decision/,
    );
  });

  it("binds the approver's edits: the digest covers the action as approved", async () => {
    const edited = { order_id: "1042", amount: 100, currency: "EUR", items: ["mug"] };
    const editedProof = await issue({ data: edited }, { ...action, data: edited });
    expect(verifyDecisionProof(editedProof, { ...expected(), secret }).proof.data).toEqual(edited);
    expect(
      codeOf(() => verifyDecisionProof({ ...editedProof, data: action.data }, { ...expected(), secret })),
    ).toBe("proof_invalid_signature");
  });

  it("verifies a genuine rejection (the caller routes it), and judges approval freshness with skew", async () => {
    const rejected = await issue({ decision: "rejected", reason: "Over budget" });
    expect(verifyDecisionProof(rejected, { ...expected(), secret }).proof.reason).toBe("Over budget");
    const asProof = proof as never;
    expect(approvalIsCurrent(asProof, new Date("2026-11-21T10:14:20.000Z"))).toBe(true);
    expect(approvalIsCurrent(asProof, new Date("2026-11-21T10:14:31.000Z"))).toBe(false);
  });
});
