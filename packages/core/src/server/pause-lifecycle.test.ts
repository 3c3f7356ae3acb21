import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { verifyProof } from "../proof/verify-proof.ts";
import type { Pause } from "../protocol/pause.ts";
import { startTestServer, type TestServer } from "../testing/test-server.ts";
import { call, seedRequest } from "./server-test-helpers.ts";

let t: TestServer;
beforeEach(async () => {
  t = await startTestServer({
    serverOptions: { allowedRecipientTargets: { slack: ["#finance-approvals"] } },
  });
});
afterEach(async () => {
  await t.close();
});

async function open(body: Record<string, unknown> = seedRequest(), key = t.agentKey): Promise<Pause> {
  const response = await call(t, "POST", "/v1/pauses", { key, body });
  expect(response.status).toBe(202);
  return response.body as unknown as Pause;
}

describe("the pause lifecycle", () => {
  it("opens the seed request as a pending pause with an expiry and links", async () => {
    const response = await call(t, "POST", "/v1/pauses", { body: seedRequest() });
    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({
      object: "pause",
      status: "pending",
      agent_id: "billing-agent",
      action: { type: "payment", description: "Pay Acme Corp $12,450" },
      recipients: [{ channel: "slack", target: "#finance-approvals" }],
      decision: null,
      proof: null,
    });
    const pause = response.body as unknown as Pause;
    expect(pause.pause_id).toMatch(/^pau_[0-9a-z]{26}$/);
    expect(Date.parse(pause.expires_at) - Date.parse(pause.created_at)).toBe(3600 * 1000);
    expect(pause.links.self).toBe(`${t.url}/v1/pauses/${pause.pause_id}`);
    expect(response.headers.get("location")).toBe(`/v1/pauses/${pause.pause_id}`);
    const read = await call(t, "GET", `/v1/pauses/${pause.pause_id}`);
    expect(read.body).toEqual(response.body);
  });

  it("approves with a proof that verifies with the secret and with the public keys alone", async () => {
    const pause = await open();
    const decided = await t.approve(pause.pause_id, { reason: "Invoice matches PO-1182" });
    expect(decided.status).toBe("approved");
    expect(decided.decision).toMatchObject({
      status: "approved",
      decided_by: { kind: "human", id: "alice@example.com" },
    });
    const jwks = await call(t, "GET", "/v1/keys", { key: null });
    const agentView = (await call(t, "GET", `/v1/pauses/${pause.pause_id}`)).body as unknown as Pause;
    const withKeys = await verifyProof(agentView.proof, {
      keys: jwks.body as never,
      pauseId: pause.pause_id,
      action: pause.action,
    });
    expect(withKeys.approved).toBe(true);
    const withSecret = await verifyProof(agentView.proof, {
      secret: t.proofSecret,
      pauseId: pause.pause_id,
      action: pause.action,
    });
    expect(withSecret.proof.reason).toBe("Invoice matches PO-1182");
    expect(withSecret.proof.human_response).toBe(true);
  });

  it("rejects with a reason: the proof says rejected and verification refuses to act on it", async () => {
    const pause = await open();
    const decided = await t.reject(pause.pause_id, "Vendor not on the approved list");
    expect(decided.status).toBe("rejected");
    await expect(
      verifyProof(decided.proof, { secret: t.proofSecret, pauseId: pause.pause_id }),
    ).rejects.toMatchObject({
      code: "proof_not_approved",
      message: expect.stringContaining("Vendor not on the approved list"),
    });
  });

  it("approves with edited arguments: the proof carries them and is bound to the action as approved", async () => {
    const pause = await open({
      agent_id: "billing-agent",
      action: { type: "payment", data: { payee: "Acme", amount: 12450 } },
    });
    const decided = await t.approve(pause.pause_id, { data: { payee: "Acme", amount: 10000 } });
    const verified = await verifyProof(decided.proof, {
      secret: t.proofSecret,
      pauseId: pause.pause_id,
      action: pause.action,
    });
    expect(verified.data).toEqual({ payee: "Acme", amount: 10000 });
    expect(decided.decision?.data).toEqual({ payee: "Acme", amount: 10000 });
  });

  it("refuses a second decision with 409 already_decided naming the winner", async () => {
    const pause = await open();
    await t.approve(pause.pause_id);
    const late = await call(t, "POST", `/v1/pauses/${pause.pause_id}/decision`, {
      key: t.secondApproverKey,
      body: { decision: "reject", reason: "too late" },
    });
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({
      code: "already_decided",
      detail: expect.stringContaining("alice@example.com"),
    });
    expect(late.headers.get("content-type")).toBe("application/problem+json");
  });

  it("forbids self-approval", async () => {
    const owner = await t.server.issueApiKey({
      role: "agent",
      identity: "carol@example.com",
      agentIds: ["billing-agent"],
    });
    const carolApprover = await t.server.issueApiKey({ role: "approver", identity: "carol@example.com" });
    const pause = await open(seedRequest(), owner.key);
    const response = await call(t, "POST", `/v1/pauses/${pause.pause_id}/decision`, {
      key: carolApprover.key,
      body: { decision: "approve" },
    });
    expect(response.status).toBe(403);
    expect(response.body.code).toBe("forbidden");
    expect((await call(t, "GET", `/v1/pauses/${pause.pause_id}`, { key: owner.key })).body.status).toBe(
      "pending",
    );
  });

  it("keeps agents to their own pauses and approvers from opening or claiming", async () => {
    const pause = await open();
    const otherAgent = await t.server.issueApiKey({
      role: "agent",
      identity: "other@example.com",
      agentIds: ["other-agent"],
    });
    expect((await call(t, "GET", `/v1/pauses/${pause.pause_id}`, { key: otherAgent.key })).status).toBe(404);
    expect((await call(t, "POST", "/v1/pauses", { key: t.approverKey, body: seedRequest() })).status).toBe(
      403,
    );
    expect(
      (await call(t, "POST", `/v1/pauses/${pause.pause_id}/decision`, { body: { decision: "approve" } }))
        .status,
    ).toBe(403);
    const list = await call(t, "GET", "/v1/pauses", { key: otherAgent.key });
    expect(list.body.data).toEqual([]);
  });

  it("returns the same pause for a repeated Idempotency-Key and refuses the key with another body", async () => {
    const headers = { "idempotency-key": "refund-4711" };
    const first = await call(t, "POST", "/v1/pauses", { body: seedRequest(), headers });
    const again = await call(t, "POST", "/v1/pauses", { body: seedRequest(), headers });
    expect(first.status).toBe(202);
    expect(again.status).toBe(200);
    expect(again.body.pause_id).toBe(first.body.pause_id);
    const changed = await call(t, "POST", "/v1/pauses", {
      body: { ...seedRequest(), agent_id: "another-agent" },
      headers,
    });
    expect(changed.status).toBe(409);
    expect(changed.body.code).toBe("idempotency_conflict");
    expect((await call(t, "GET", "/v1/pauses")).body.data).toHaveLength(1);
  });

  it("claims an approved pause exactly once, and never a rejected one", async () => {
    const approved = await open();
    const decided = await t.approve(approved.pause_id);
    const claim = await call(t, "POST", `/v1/pauses/${approved.pause_id}/claim`, {
      body: { proof_id: decided.proof!.proof_id },
    });
    expect(claim.status).toBe(200);
    expect(claim.body).toMatchObject({
      object: "claim",
      pause_id: approved.pause_id,
      proof_id: decided.proof!.proof_id,
    });
    const second = await call(t, "POST", `/v1/pauses/${approved.pause_id}/claim`);
    expect(second.status).toBe(409);
    expect(second.body.code).toBe("already_claimed");
    const rejected = await open();
    await t.reject(rejected.pause_id, "no");
    const refused = await call(t, "POST", `/v1/pauses/${rejected.pause_id}/claim`);
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe("not_approved");
  });

  it("refuses a claim with another proof's id", async () => {
    const pause = await open();
    await t.approve(pause.pause_id);
    const response = await call(t, "POST", `/v1/pauses/${pause.pause_id}/claim`, {
      body: { proof_id: "prf_forged" },
    });
    expect(response.status).toBe(409);
    expect(response.body.code).toBe("proof_mismatch");
  });

  it("cancels a pending pause; it can then be neither decided nor claimed", async () => {
    const pause = await open();
    const cancelled = await call(t, "POST", `/v1/pauses/${pause.pause_id}/cancel`, {
      body: { reason: "user gave up" },
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({
      status: "cancelled",
      proof: null,
      decision: { reason: "user gave up" },
    });
    await expect(t.approve(pause.pause_id)).rejects.toMatchObject({ code: "already_decided" });
  });

  it("expires an undecided pause into a rejection with a timeout proof", async () => {
    const pause = await open({ ...seedRequest(), expires_in: 1 });
    const waited = await call(t, "GET", `/v1/pauses/${pause.pause_id}?wait=5`);
    expect(waited.body.status).toBe("expired");
    const expired = waited.body as unknown as Pause;
    expect(expired.decision?.decided_by).toEqual({ kind: "timeout", id: "countersign" });
    const verified = await verifyProof(expired.proof, {
      secret: t.proofSecret,
      pauseId: pause.pause_id,
      require: "decided",
    });
    expect(verified.approved).toBe(false);
    expect(verified.proof.human_response).toBe(false);
    await expect(t.approve(pause.pause_id)).rejects.toMatchObject({ code: "already_decided" });
  });

  it("lists pauses newest first with filters and a cursor", async () => {
    for (let index = 0; index < 5; index++) {
      await open({
        agent_id: index % 2 ? "billing-agent" : "ops-agent",
        action: { type: index % 2 ? "payment" : "deploy" },
      });
    }
    const first = await call(t, "GET", "/v1/pauses?limit=2", { key: t.approverKey });
    expect(first.body.data).toHaveLength(2);
    expect(first.body.has_more).toBe(true);
    const second = await call(t, "GET", `/v1/pauses?limit=2&cursor=${first.body.next_cursor}`, {
      key: t.approverKey,
    });
    const third = await call(t, "GET", `/v1/pauses?limit=2&cursor=${second.body.next_cursor}`, {
      key: t.approverKey,
    });
    const ids = [first, second, third].flatMap((page) =>
      (page.body.data as Pause[]).map((pause) => pause.pause_id),
    );
    expect(new Set(ids).size).toBe(5);
    const deploys = await call(t, "GET", "/v1/pauses?action_type=deploy&agent_id=ops-agent", {
      key: t.approverKey,
    });
    expect((deploys.body.data as Pause[]).map((pause) => pause.action.type)).toEqual([
      "deploy",
      "deploy",
      "deploy",
    ]);
  });

  it("records every state change in the audit log, on one hash chain", async () => {
    const pause = await open();
    await t.approve(pause.pause_id);
    await call(t, "POST", `/v1/pauses/${pause.pause_id}/claim`);
    const audit = await call(t, "GET", `/v1/audit?pause_id=${pause.pause_id}`, { key: t.adminKey });
    const events = audit.body.data as { type: string; seq: number; prev_hash: string; hash: string }[];
    expect(events.map((event) => event.type)).toEqual(["pause.opened", "pause.decided", "pause.claimed"]);
    expect((await call(t, "GET", "/v1/audit", { key: t.approverKey })).status).toBe(403);
  });
});
