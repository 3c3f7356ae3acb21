import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CountersignError } from "../errors/countersign-error.ts";
import { resultDigest } from "../proof/result-digest.ts";
import type { PauseRequest } from "../protocol/pause-request.ts";
import { startTestServer, type TestServer } from "../testing/test-server.ts";
import { createClient } from "./create-client.ts";
import type { CountersignClient } from "./types.ts";

let t: TestServer;
let agent: CountersignClient;
let closed: boolean;

beforeEach(async () => {
  t = await startTestServer();
  closed = false;
  agent = createClient({ baseUrl: t.url, apiKey: t.agentKey });
});
afterEach(async () => {
  if (!closed) await t.close();
});

const payment: PauseRequest = {
  agent_id: "billing-agent",
  action: {
    type: "payment",
    title: "Pay Acme Corp $12,450",
    data: { payee: "Acme Corp", amount: 12450, currency: "USD" },
    risk: "high",
  },
  recipients: [{ channel: "web", target: "finance" }],
};

async function failure(promise: Promise<unknown>): Promise<CountersignError> {
  const outcome = await promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!("error" in outcome)) throw new Error(`expected a failure, got ${JSON.stringify(outcome.value)}`);
  expect(outcome.error).toBeInstanceOf(CountersignError);
  return outcome.error as CountersignError;
}

describe("the client against a real approval server", () => {
  it("requestApproval resolves approved with a proof verified by the secret (long-poll)", async () => {
    const result = agent.requestApproval(payment, { verify: { secret: t.proofSecret }, timeoutMs: 15_000 });
    const pending = await t.nextPendingPause();
    await t.approve(pending.pause_id, { reason: "Invoice checked" });

    const approval = await result;
    expect(approval.approved).toBe(true);
    expect(approval.status).toBe("approved");
    expect(approval.reason).toBe("Invoice checked");
    expect(approval.data).toEqual(payment.action.data);
    expect(approval.proof?.pause_id).toBe(pending.pause_id);
    expect(approval.proof?.decided_by).toMatchObject({ kind: "human", id: "alice@example.com" });
  });

  it("refuses a fake server's self-signed approval when the real server's keys are pinned", async () => {
    const pinned = t.jwks;
    // Whoever answers in the real server's place (DNS, a proxy, a wrong URL) signs with its own keys.
    const impostor = await startTestServer();
    try {
      const fooled = createClient({ baseUrl: impostor.url, apiKey: impostor.agentKey });
      // Handled from the start: the refusal may come while the impostor is still answering.
      const refused = failure(
        fooled.requestApproval(payment, { verify: { keys: pinned }, timeoutMs: 15_000 }),
      );
      const pending = await impostor.nextPendingPause();
      await impostor.approve(pending.pause_id);
      expect((await refused).code).toBe("proof_unknown_key");
      // Trust on first use would have believed it: that is what pinning prevents.
      const tofu = await fooled.verifyDecision(await fooled.getPause(pending.pause_id), {
        trustServerKeys: true,
      });
      expect(tofu.approved).toBe(true);
    } finally {
      await impostor.close();
    }
  });

  it("requestApproval resolves approved with a proof verified by the server's public keys alone (SSE)", async () => {
    const keys = await agent.getKeys();
    expect(keys.keys.length).toBeGreaterThan(0);
    const result = agent.requestApproval(payment, { verify: { keys }, transport: "sse", timeoutMs: 15_000 });
    await t.approve((await t.nextPendingPause()).pause_id);

    const approval = await result;
    expect(approval.approved).toBe(true);
    expect(approval.proof?.signatures.length).toBeGreaterThan(0);
  });

  it("a rejection comes back as not approved, with the reviewer's reason", async () => {
    const result = agent.requestApproval(payment, { verify: { secret: t.proofSecret }, timeoutMs: 15_000 });
    await t.reject((await t.nextPendingPause()).pause_id, "Over the monthly budget");

    const approval = await result;
    expect(approval.approved).toBe(false);
    expect(approval.status).toBe("rejected");
    expect(approval.reason).toBe("Over the monthly budget");
  });

  it("an approval with edits runs with the edited arguments", async () => {
    const edits = { payee: "Acme Corp", amount: 12000, currency: "USD" };
    const result = agent.requestApproval(payment, { verify: { secret: t.proofSecret }, timeoutMs: 15_000 });
    await t.approve((await t.nextPendingPause()).pause_id, { data: edits });

    const approval = await result;
    expect(approval.approved).toBe(true);
    expect(approval.data).toEqual(edits);
    expect(approval.proof?.data).toEqual(edits);
  });

  it("a cancelled pause comes back as not approved", async () => {
    const result = agent.requestApproval(payment, { verify: { secret: t.proofSecret }, timeoutMs: 15_000 });
    await agent.cancel((await t.nextPendingPause()).pause_id, { reason: "No longer needed" });

    const approval = await result;
    expect(approval).toMatchObject({ approved: false, status: "cancelled", proof: null });
  });

  it("the same idempotency key opens one pause", async () => {
    const first = await agent.createPause(payment, { idempotencyKey: "tool-call-7" });
    const again = await agent.createPause(payment, { idempotencyKey: "tool-call-7" });
    expect(again.pause_id).toBe(first.pause_id);
    const conflict = await failure(
      agent.createPause({ ...payment, agent_id: "other-agent" }, { idempotencyKey: "tool-call-7" }),
    );
    expect(conflict.code).toBe("idempotency_conflict");
  });

  it("an approver decides through the client; a second decision is already_decided", async () => {
    const approver = createClient({ baseUrl: t.url, apiKey: t.approverKey });
    const pause = await agent.createPause(payment);
    const listed = await approver.listPauses({ status: "pending", agent_id: "billing-agent" });
    expect(listed.data.map((entry) => entry.pause_id)).toContain(pause.pause_id);

    const decided = await approver.decide(pause.pause_id, { decision: "approve" });
    expect(decided.status).toBe("approved");
    const late = await failure(approver.decide(pause.pause_id, { decision: "reject", reason: "too late" }));
    expect(late.code).toBe("already_decided");
    const seen = await agent.getPause(pause.pause_id, { waitSeconds: 1 });
    expect(
      (await agent.verifyDecision(seen, { secret: t.proofSecret, action: payment.action })).approved,
    ).toBe(true);
  });

  it("a pause can be claimed once; the second claim is already_claimed", async () => {
    const pause = await agent.createPause(payment);
    await t.approve(pause.pause_id);

    const claim = await agent.claim(pause.pause_id);
    expect(claim.pause_id).toBe(pause.pause_id);
    const second = await failure(agent.claim(pause.pause_id));
    expect(second.code).toBe("already_claimed");
    expect(second.status).toBe(409);
  });

  it("the claimer records one receipt with a result digest; listing finds no unreported claim after", async () => {
    const pause = await agent.createPause(payment);
    await t.approve(pause.pause_id);
    await agent.claim(pause.pause_id);
    const admin = createClient({ baseUrl: t.url, apiKey: t.adminKey });
    const unreported = await admin.listPauses({ claimed_without_receipt: "true" });
    expect(unreported.data.map((listed) => listed.pause_id)).toEqual([pause.pause_id]);

    const result = { payment_id: "pay_123", amount: 12450 };
    const reported = await agent.recordReceipt(pause.pause_id, {
      outcome: "succeeded",
      resultDigest: await resultDigest(result),
    });
    expect(reported.execution).toMatchObject({
      outcome: "succeeded",
      // Key order does not change the digest: it is over canonical JSON.
      result_digest: await resultDigest({ amount: 12450, payment_id: "pay_123" }),
    });
    expect(reported.execution?.result_digest).not.toBe(await resultDigest({ ...result, amount: 1 }));
    const again = await failure(agent.recordReceipt(pause.pause_id, { outcome: "failed", error: "x" }));
    expect([again.code, again.status]).toEqual(["already_reported", 409]);
    expect((await admin.listPauses({ claimed_without_receipt: "true" })).data).toEqual([]);
  });

  it("an unknown pause and a wrong key fail with the server's codes", async () => {
    expect((await failure(agent.getPause("pau_0000000000000000000000000a"))).code).toBe("not_found");
    const stranger = createClient({ baseUrl: t.url, apiKey: "csk_not_a_key" });
    expect((await failure(stranger.createPause(payment))).code).toBe("unauthorized");
  });

  it("a closed server is a network_error, never an approval", async () => {
    const pause = await agent.createPause(payment);
    const waiting = agent.waitForDecision(pause.pause_id, { timeoutMs: 1_500 });
    await t.close();
    closed = true;
    const error = await failure(waiting);
    expect(error.code).toBe("network_error");

    const request = await failure(agent.requestApproval(payment, { verify: { secret: t.proofSecret } }));
    expect(request.code).toBe("network_error");
  });
});
