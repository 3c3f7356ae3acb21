import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { type Receipt, verifyReceipt } from "@countersign/verify";
import { afterEach, describe, expect, expectTypeOf, it } from "vitest";
import type { EvidenceBundleV2 } from "../audit/evidence-bundle.ts";
import { verifyEvidenceBundle } from "../audit/verify-evidence-bundle.ts";
import { resultDigest } from "../proof/result-digest.ts";
import type { Pause } from "../protocol/pause.ts";
import type { Execution } from "../protocol/receipt.ts";
import { startTestServer, type TestServer } from "../testing/test-server.ts";
import { findApprover } from "./governance/approvers.ts";
import { call } from "./server-test-helpers.ts";

let t: TestServer;
afterEach(async () => {
  await t?.close();
});

async function approvedPause(body: Record<string, unknown> = {}): Promise<Pause> {
  const opened = await call(t, "POST", "/v1/pauses", {
    body: { agent_id: "billing-agent", action: { type: "payment", data: { amount: 10 } }, ...body },
  });
  return t.approve(String(opened.body.pause_id));
}

const receipt = (pauseId: string, key: string, body: unknown = { outcome: "succeeded" }) =>
  call(t, "POST", `/v1/pauses/${pauseId}/receipt`, { key, body });

describe("execution receipts", () => {
  it("have one type in core's schema and @countersign/verify's reader", () => {
    expectTypeOf<Execution>().toEqualTypeOf<Receipt>();
  });

  it("records the claimer's receipt once, signed, on the pause and in the audit log", async () => {
    t = await startTestServer();
    const pause = await approvedPause();
    expect((await call(t, "POST", `/v1/pauses/${pause.pause_id}/claim`, { body: {} })).status).toBe(200);
    const digest = await resultDigest({ payment_id: "pay_1", amount: 10 });
    const recorded = await receipt(pause.pause_id, t.agentKey, {
      outcome: "succeeded",
      result_digest: digest,
    });
    expect(recorded.status).toBe(201);
    const execution = recorded.body.execution as Execution;
    expect(execution).toMatchObject({
      v: 1,
      pause_id: pause.pause_id,
      proof_id: pause.proof!.proof_id,
      action_digest: pause.proof!.action_digest,
      outcome: "succeeded",
      result_digest: digest,
      error: null,
      reported_by: { kind: "agent", identity: "agent-owner@example.com" },
    });
    expect(execution.receipt_id).toMatch(/^rcp_/);
    const verified = await verifyReceipt(execution, {
      keys: t.jwks,
      secret: t.proofSecret,
      pauseId: pause.pause_id,
      proofId: pause.proof!.proof_id,
    });
    expect(verified).toEqual({ receipt: execution, verifiedWith: ["hmac", "ed25519"] });
    // One changed field and the signature no longer holds.
    await expect(verifyReceipt({ ...execution, outcome: "failed" }, { keys: t.jwks })).rejects.toMatchObject({
      code: "proof_invalid_signature",
    });
    const read = await call(t, "GET", `/v1/pauses/${pause.pause_id}`, { key: t.approverKey });
    expect(read.body.execution).toEqual(execution);

    const again = await receipt(pause.pause_id, t.agentKey, { outcome: "failed", error: "late" });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe("already_reported");

    const audit = await call(t, "GET", `/v1/audit?pause_id=${pause.pause_id}`, { key: t.adminKey });
    const events = audit.body.data as { type: string; actor: unknown; data: Record<string, unknown> }[];
    expect(events.map((event) => event.type)).toEqual([
      "pause.opened",
      "pause.decided",
      "pause.claimed",
      "pause.executed",
    ]);
    expect(events.at(-1)!.data).toMatchObject({ receipt_id: execution.receipt_id, outcome: "succeeded" });
  });

  it("refuses a receipt before the claim (409), from anyone but the claimer (403), and bad bodies (400)", async () => {
    t = await startTestServer();
    const pause = await approvedPause();
    const early = await receipt(pause.pause_id, t.agentKey);
    expect([early.status, early.body.code]).toEqual([409, "not_claimed"]);
    await call(t, "POST", `/v1/pauses/${pause.pause_id}/claim`, { body: {} });
    const stranger = await receipt(pause.pause_id, t.executorKey);
    expect([stranger.status, stranger.body.code]).toEqual([403, "forbidden"]);
    expect((await receipt(pause.pause_id, t.approverKey)).status).toBe(403);
    expect((await receipt(pause.pause_id, t.adminKey)).status).toBe(403);
    const unknownOutcome = await receipt(pause.pause_id, t.agentKey, { outcome: "done" });
    expect(unknownOutcome.status).toBe(400);
    const badDigest = await receipt(pause.pause_id, t.agentKey, {
      outcome: "succeeded",
      result_digest: "abc",
    });
    expect(badDigest.status).toBe(400);
    expect(JSON.stringify(badDigest.body)).toContain("result_digest");
    const errorOnSuccess = await receipt(pause.pause_id, t.agentKey, { outcome: "succeeded", error: "x" });
    expect(errorOnSuccess.status).toBe(400);
    const failed = await receipt(pause.pause_id, t.agentKey, { outcome: "failed", error: "card declined" });
    expect(failed.status).toBe(201);
    expect(failed.body.execution).toMatchObject({ outcome: "failed", error: "card declined" });
  });

  it("gives exactly one of 20 concurrent receipts a 201", async () => {
    t = await startTestServer();
    const pause = await approvedPause();
    await call(t, "POST", `/v1/pauses/${pause.pause_id}/claim`, { body: {} });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        receipt(pause.pause_id, t.agentKey, index % 2 ? { outcome: "succeeded" } : { outcome: "failed" }),
      ),
    );
    expect(results.filter((result) => result.status === 201)).toHaveLength(1);
    expect(results.filter((result) => result.status === 409)).toHaveLength(19);
    const audit = await call(t, "GET", "/v1/audit?type=pause.executed", { key: t.adminKey });
    expect(audit.body.data).toHaveLength(1);
  });

  it("tells the pause's webhook_url the decision only, never a second message that would resume a run twice", async () => {
    const received: { body: Record<string, unknown> }[] = [];
    const receiver = createServer((request: IncomingMessage, response) => {
      let text = "";
      request.on("data", (chunk) => (text += chunk));
      request.on("end", () => {
        received.push({ body: JSON.parse(text) });
        response.end("ok");
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    try {
      t = await startTestServer();
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
      const pause = await approvedPause({ webhook_url: url });
      await call(t, "POST", `/v1/pauses/${pause.pause_id}/claim`, { body: {} });
      const recorded = await receipt(pause.pause_id, t.agentKey);
      expect(recorded.status).toBe(201);
      // Wait for the decision's message, then long enough for a second one to have come.
      const deadline = Date.now() + 10_000;
      while (received.length < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      await new Promise((r) => setTimeout(r, 1_000));
      expect(received.map((message) => message.body.type)).toEqual(["pause.decided"]);
      const audit = await call(t, "GET", "/v1/audit?type=pause.executed", { key: t.adminKey });
      expect(audit.body.data).toHaveLength(1);
    } finally {
      receiver.close();
    }
  });

  it("lists claimed pauses without a receipt for reconciliation", async () => {
    let now = new Date("2026-11-21T10:00:00.000Z");
    t = await startTestServer({ now: () => now });
    const reported = await approvedPause();
    const forgotten = await approvedPause();
    const unclaimed = await approvedPause();
    for (const pause of [reported, forgotten])
      await call(t, "POST", `/v1/pauses/${pause.pause_id}/claim`, { body: {} });
    await receipt(reported.pause_id, t.agentKey);
    const list = (query: string) => call(t, "GET", `/v1/pauses?${query}`, { key: t.adminKey });
    const ids = (response: { body: Record<string, unknown> }) =>
      (response.body.data as Pause[]).map((pause) => pause.pause_id);
    expect(ids(await list("claimed_without_receipt=true"))).toEqual([forgotten.pause_id]);
    expect(ids(await list("claimed_without_receipt=true&older_than=15m"))).toEqual([]);
    now = new Date("2026-11-21T10:20:00.000Z");
    expect(ids(await list("claimed_without_receipt=true&older_than=15m"))).toEqual([forgotten.pause_id]);
    expect(ids(await list("claimed_without_receipt=true&older_than=2026-11-21T09:00:00Z"))).toEqual([]);
    expect(ids(await list("limit=10"))).toContain(unclaimed.pause_id);
    const bad = await list("claimed_without_receipt=true&older_than=soon");
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain("older_than");
  });
});

describe("evidence bundles carry the receipt", () => {
  it("includes the signed receipt and its audit event, and catches a changed or dropped receipt", async () => {
    t = await startTestServer();
    const pause = await approvedPause();
    await call(t, "POST", `/v1/pauses/${pause.pause_id}/claim`, { body: {} });
    const recorded = await receipt(pause.pause_id, t.agentKey, { outcome: "failed", error: "timeout" });
    const bundle = (await call(t, "GET", `/v1/pauses/${pause.pause_id}/evidence`, { key: t.adminKey }))
      .body as unknown as EvidenceBundleV2;
    expect(bundle.execution).toEqual(recorded.body.execution);
    expect(bundle.events.map((event) => event.type)).toContain("pause.executed");
    expect(await verifyEvidenceBundle(bundle, { keys: t.jwks })).toMatchObject({ valid: true });

    const copy = (): EvidenceBundleV2 => JSON.parse(JSON.stringify(bundle));
    const changed = copy();
    changed.execution!.outcome = "succeeded";
    changed.pause.execution!.outcome = "succeeded";
    const dropped = copy();
    delete dropped.execution;
    delete dropped.pause.execution;
    for (const tampered of [changed, dropped]) {
      const verdict = await verifyEvidenceBundle(tampered, { keys: t.jwks });
      expect(verdict).toMatchObject({ valid: false, problem: { kind: "receipt_invalid" } });
    }
  });
});

describe("the executor role: read, claim and report, nothing else", () => {
  it("claims with the proof it verified and reports the receipt; the agent then cannot", async () => {
    t = await startTestServer();
    const pause = await approvedPause();
    expect((await call(t, "GET", `/v1/pauses/${pause.pause_id}`, { key: t.executorKey })).status).toBe(200);
    const withoutProof = await call(t, "POST", `/v1/pauses/${pause.pause_id}/claim`, {
      key: t.executorKey,
      body: {},
    });
    expect(withoutProof.status).toBe(400);
    expect(JSON.stringify(withoutProof.body)).toContain("proof_id");
    const claimed = await call(t, "POST", `/v1/pauses/${pause.pause_id}/claim`, {
      key: t.executorKey,
      body: { proof_id: pause.proof!.proof_id },
    });
    expect(claimed.status).toBe(200);
    expect((await receipt(pause.pause_id, t.agentKey)).status).toBe(403);
    const recorded = await receipt(pause.pause_id, t.executorKey);
    expect(recorded.status).toBe(201);
    expect((recorded.body.execution as Execution).reported_by).toMatchObject({
      kind: "executor",
      identity: "payments-service",
    });
    const audit = await call(t, "GET", `/v1/audit?pause_id=${pause.pause_id}`, { key: t.adminKey });
    const claimEvent = (audit.body.data as { type: string; actor: { kind: string } }[]).find(
      (event) => event.type === "pause.claimed",
    );
    expect(claimEvent?.actor.kind).toBe("executor");
  });

  it("may not open, decide, cancel, list, follow, or read the audit log", async () => {
    t = await startTestServer();
    const pause = await approvedPause();
    const opened = await call(t, "POST", "/v1/pauses", {
      key: t.executorKey,
      body: { agent_id: "billing-agent", action: { type: "payment" } },
    });
    const pending = await call(t, "POST", "/v1/pauses", {
      body: { agent_id: "billing-agent", action: { type: "payment" } },
    });
    const attempts = await Promise.all([
      Promise.resolve(opened),
      call(t, "POST", `/v1/pauses/${pending.body.pause_id}/decision`, {
        key: t.executorKey,
        body: { decision: "approve" },
      }),
      call(t, "POST", `/v1/pauses/${pending.body.pause_id}/cancel`, { key: t.executorKey, body: {} }),
      call(t, "GET", "/v1/pauses", { key: t.executorKey }),
      call(t, "GET", `/v1/pauses/${pause.pause_id}/events`, { key: t.executorKey }),
      call(t, "GET", "/v1/audit", { key: t.executorKey }),
      call(t, "GET", `/v1/pauses/${pause.pause_id}/evidence`, { key: t.executorKey }),
    ]);
    expect(attempts.map((attempt) => attempt.status)).toEqual([403, 403, 403, 403, 403, 403, 403]);
    const still = await call(t, "GET", `/v1/pauses/${pending.body.pause_id}`, { key: t.approverKey });
    expect(still.body.status).toBe("pending");
  });

  it("never makes its holder an approver (Slack, e-mail links and the inbox ask findApprover)", async () => {
    t = await startTestServer();
    await t.server.issueApiKey({ role: "executor", identity: "ops@example.com" });
    expect(await findApprover(t.store, "ops@example.com")).toBeNull();
    await t.server.issueApiKey({ role: "approver", identity: "ops@example.com" });
    expect(await findApprover(t.store, "ops@example.com")).toMatchObject({ identity: "ops@example.com" });
  });
});
