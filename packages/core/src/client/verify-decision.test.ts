import { beforeAll, describe, expect, it } from "vitest";
import { CountersignError } from "../errors/countersign-error.ts";
import { actionDigest, approvedAction } from "../proof/action-digest.ts";
import { signProof } from "../proof/sign-proof.ts";
import { generateEd25519Jwk, loadSigningKeys, publicJwkOf, type SigningKeys } from "../proof/signing-keys.ts";
import type { Action, ActionData } from "../protocol/action.ts";
import type { PublicJwk } from "../protocol/keys.ts";
import type { Pause } from "../protocol/pause.ts";
import type { Proof, ProofDecision } from "../protocol/proof.ts";
import { createClient } from "./create-client.ts";
import { verifyDecision } from "./verify-decision.ts";

const secret = "client-test-proof-secret-0123456789abcdef";
const PAUSE_ID = "pau_0123456789abcdefghjkmnpqrs";
const action: Action = {
  type: "payment",
  title: "Pay Acme Corp",
  data: { payee: "Acme Corp", amount: 12450 },
};

let keys: SigningKeys;
let publicKey: PublicJwk;

beforeAll(async () => {
  const jwk = await generateEd25519Jwk();
  keys = await loadSigningKeys({ secret, ed25519: jwk });
  publicKey = await publicJwkOf(jwk);
});

async function issueProof(
  decision: ProofDecision,
  options: {
    reason?: string;
    data?: ActionData;
    pauseId?: string;
    forAction?: Action;
    validUntil?: string;
  } = {},
): Promise<Proof> {
  const forAction = approvedAction(options.forAction ?? action, options.data);
  return signProof(
    {
      v: 1,
      proof_id: "prf_test",
      pause_id: options.pauseId ?? PAUSE_ID,
      agent_id: "billing-agent",
      action_digest: await actionDigest(forAction),
      decision,
      human_response: decision !== "expired",
      decided_by:
        decision === "expired"
          ? { kind: "timeout", id: "countersign" }
          : { kind: "human", id: "alice@example.com", channel: "web" },
      reason: options.reason ?? null,
      data: options.data ?? null,
      issued_at: new Date(Date.now() - 1_000).toISOString(),
      valid_until: options.validUntil ?? new Date(Date.now() + 600_000).toISOString(),
    },
    keys,
  );
}

function decidedPause(status: Pause["status"], proof: Proof | null, overrides: Partial<Pause> = {}): Pause {
  return {
    object: "pause",
    pause_id: PAUSE_ID,
    status,
    agent_id: "billing-agent",
    action,
    recipients: [],
    webhook_url: null,
    context: {},
    metadata: {},
    created_at: "2026-11-21T10:00:00.000Z",
    expires_at: "2026-11-21T11:00:00.000Z",
    decision:
      status === "pending"
        ? null
        : {
            status,
            decided_by: proof?.decided_by ?? { kind: "human", id: "agent-owner@example.com" },
            reason: proof?.reason ?? null,
            data: proof?.data ?? null,
            decided_at: "2026-11-21T10:05:00.000Z",
          },
    proof,
    claimed_at: null,
    links: { self: "/s", events: "/e", decision: "/d", inbox: "/i" },
    ...overrides,
  };
}

async function failure(promise: Promise<unknown>): Promise<CountersignError> {
  const outcome = await promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!("error" in outcome)) throw new Error(`expected a failure, got ${JSON.stringify(outcome.value)}`);
  expect(outcome.error).toBeInstanceOf(CountersignError);
  return outcome.error as CountersignError;
}

describe("verifyDecision", () => {
  it("approves a verified approval, with the secret or with the public keys alone", async () => {
    const pause = decidedPause("approved", await issueProof("approved"));
    for (const verifyWith of [{ secret }, { keys: { keys: [publicKey] } }, { keys: [publicKey], secret }]) {
      const result = await verifyDecision(pause, verifyWith);
      expect(result.approved).toBe(true);
      expect(result.status).toBe("approved");
      expect(result.proof?.proof_id).toBe("prf_test");
      expect(result.data).toEqual(action.data);
    }
  });

  it("runs with the approver's edits", async () => {
    const edits = { payee: "Acme Corp", amount: 12000 };
    const result = await verifyDecision(
      decidedPause("approved", await issueProof("approved", { data: edits })),
      {
        secret,
        action,
      },
    );
    expect(result.approved).toBe(true);
    expect(result.data).toEqual(edits);
  });

  it("reports a rejection with its reason, and an expiry, as not approved", async () => {
    const rejected = await verifyDecision(
      decidedPause("rejected", await issueProof("rejected", { reason: "Over budget" })),
      { secret },
    );
    expect([rejected.approved, rejected.status, rejected.reason]).toEqual([false, "rejected", "Over budget"]);
    const expired = await verifyDecision(decidedPause("expired", await issueProof("expired")), { secret });
    expect([expired.approved, expired.status]).toEqual([false, "expired"]);
  });

  it("reports a cancelled pause as not approved, without a proof", async () => {
    const result = await verifyDecision(decidedPause("cancelled", null), { secret });
    expect(result).toMatchObject({ approved: false, status: "cancelled", proof: null });
  });

  it("refuses a pending pause, and a decided pause without its proof", async () => {
    expect((await failure(verifyDecision(decidedPause("pending", null), { secret }))).code).toBe(
      "not_approved",
    );
    const error = await failure(verifyDecision(decidedPause("approved", null), { secret }));
    expect(error.code).toBe("proof_malformed");
    expect(error.pauseId).toBe(PAUSE_ID);
  });

  it("refuses a pause whose status disagrees with its proof, either way", async () => {
    const rejectedProof = await issueProof("rejected");
    expect((await failure(verifyDecision(decidedPause("approved", rejectedProof), { secret }))).code).toBe(
      "proof_mismatch",
    );
    const approvedProof = await issueProof("approved");
    expect((await failure(verifyDecision(decidedPause("rejected", approvedProof), { secret }))).code).toBe(
      "proof_mismatch",
    );
  });

  it("refuses a tampered proof, a proof for another pause and a proof for another action", async () => {
    const proof = await issueProof("approved");
    const tampered = { ...proof, data: { payee: "Mallory", amount: 12450 } };
    expect((await failure(verifyDecision(decidedPause("approved", tampered), { secret }))).code).toBe(
      "proof_invalid_signature",
    );
    const otherPause = await issueProof("approved", { pauseId: "pau_other" });
    expect((await failure(verifyDecision(decidedPause("approved", otherPause), { secret }))).code).toBe(
      "proof_wrong_pause",
    );
    const requested = { ...action, data: { payee: "Acme Corp", amount: 10 } };
    expect(
      (await failure(verifyDecision(decidedPause("approved", proof), { secret, action: requested }))).code,
    ).toBe("proof_digest_mismatch");
  });

  it("refuses an approval past its validity, and a proof nobody can check", async () => {
    const stale = await issueProof("approved", {
      validUntil: new Date(Date.now() - 3_600_000).toISOString(),
    });
    expect((await failure(verifyDecision(decidedPause("approved", stale), { secret }))).code).toBe(
      "proof_expired",
    );
    const proof = await issueProof("approved");
    const unchecked = await failure(verifyDecision(decidedPause("approved", proof), {}));
    expect(unchecked.code).toBe("invalid_request");
    expect(unchecked.message).toContain("No trust anchor");
  });
});

describe("requestApproval", () => {
  function inProcessServer(reply: (url: string, init: RequestInit | undefined) => Response) {
    const calls: string[] = [];
    const client = createClient({
      baseUrl: "http://countersign.test",
      apiKey: "csk_agent",
      fetch: async (input, init) => {
        calls.push(`${init?.method ?? "GET"} ${String(input)}`);
        return reply(String(input), init);
      },
    });
    return { client, calls };
  }

  it("returns at once, verified, when policy decided in the create reply", async () => {
    const proof = await issueProof("approved");
    const { client, calls } = inProcessServer(() =>
      Response.json(decidedPause("approved", proof), { status: 202 }),
    );
    const result = await client.requestApproval(
      { agent_id: "billing-agent", action },
      { verify: { secret } },
    );
    expect(result.approved).toBe(true);
    expect(calls).toEqual(["POST http://countersign.test/v1/pauses"]);
  });

  it("waits for the decision of a pending pause and verifies it against the requested action", async () => {
    const proof = await issueProof("rejected", { reason: "No" });
    const { client, calls } = inProcessServer((url) =>
      url.endsWith("/v1/pauses")
        ? Response.json(decidedPause("pending", null), { status: 202 })
        : Response.json(decidedPause("rejected", proof)),
    );
    const result = await client.requestApproval(
      { agent_id: "billing-agent", action },
      { verify: { secret } },
    );
    expect([result.approved, result.reason]).toEqual([false, "No"]);
    expect(calls[1]).toMatch(new RegExp(`^GET http://countersign.test/v1/pauses/${PAUSE_ID}\\?wait=\\d+$`));
  });

  it("refuses an approval a server issued for an action other than the one requested", async () => {
    const swapped = { ...action, data: { payee: "Mallory", amount: 12450 } };
    const proof = await issueProof("approved", { forAction: swapped });
    const { client } = inProcessServer(() =>
      Response.json(decidedPause("approved", proof, { action: swapped }), { status: 202 }),
    );
    const error = await failure(
      client.requestApproval({ agent_id: "billing-agent", action }, { verify: { keys: [publicKey] } }),
    );
    expect(error.code).toBe("proof_digest_mismatch");
  });
});
