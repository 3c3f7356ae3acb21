import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { verifyProof } from "../proof/verify-proof.ts";
import type { BatchDecisionResult } from "../protocol/batch-decision.ts";
import type { Pause } from "../protocol/pause.ts";
import { startTestServer, type TestServer } from "../testing/test-server.ts";
import {
  auditOf,
  fakeClock,
  openPause,
  prodDeploy,
  putIdentity,
  refund,
  seedPolicy,
} from "./governance-test-helpers.ts";
import { call } from "./server-test-helpers.ts";

let t: TestServer;
let clock: ReturnType<typeof fakeClock>;
beforeEach(async () => {
  clock = fakeClock();
  t = await startTestServer({ policy: seedPolicy().hook, now: clock.now });
  await putIdentity(t, "alice@example.com", ["engineering"]);
  await putIdentity(t, "bob@example.com", ["engineering", "finance"]);
});
afterEach(async () => {
  await t.close();
});

async function batch(key: string, body: Record<string, unknown>) {
  const response = await call(t, "POST", "/v1/decisions", { key, body });
  return { status: response.status, body: response.body as unknown as BatchDecisionResult };
}

describe("POST /v1/decisions", () => {
  it("decides each pause as a single decision would: its own proof, audit event and routing", async () => {
    const first = await openPause(t, refund(100));
    const second = await openPause(t, refund(200));
    // Over 500: routed to group:finance, which alice is not in.
    const routed = await openPause(t, refund(900));
    const response = await batch(t.approverKey, {
      pause_ids: [first.pause_id, routed.pause_id, second.pause_id, "pau_missing"],
      decision: "approve",
      reason: "Refund queue reviewed",
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ object: "batch_decision", decided: 2, failed: 2 });
    expect(response.body.results.map((item) => [item.pause_id, item.status, item.error?.code])).toEqual([
      [first.pause_id, "approved", undefined],
      [routed.pause_id, "pending", "forbidden"],
      [second.pause_id, "approved", undefined],
      ["pau_missing", null, "not_found"],
    ]);
    const proofs = new Set<string>();
    for (const pause of [first, second]) {
      const read = (await call(t, "GET", `/v1/pauses/${pause.pause_id}`, { key: t.approverKey }))
        .body as unknown as Pause;
      expect(read.decision).toMatchObject({
        reason: "Refund queue reviewed",
        decided_by: { kind: "human", id: "alice@example.com" },
      });
      await verifyProof(read.proof, {
        keys: t.jwks,
        pauseId: pause.pause_id,
        action: pause.action,
        now: clock.now(),
      });
      proofs.add(read.proof!.proof_id);
      expect(
        (await auditOf(t, pause.pause_id)).filter((event) => event.type === "pause.decided"),
      ).toHaveLength(1);
    }
    expect(proofs.size).toBe(2);
    expect(response.body.results[0]!.proof_id).toMatch(/^prf_/);
  });

  it("never lets the requester decide its own pauses, and answers already-decided ones with 409's reason", async () => {
    const own = await t.server.issueApiKey({ role: "agent", identity: "alice@example.com", agentIds: ["*"] });
    const mine = (await call(t, "POST", "/v1/pauses", { key: own.key, body: refund(100) }))
      .body as unknown as Pause;
    const other = await openPause(t, refund(120));
    await batch(t.secondApproverKey, { pause_ids: [other.pause_id], decision: "reject", reason: "no" });
    const response = await batch(t.approverKey, {
      pause_ids: [mine.pause_id, other.pause_id],
      decision: "approve",
    });
    expect(response.body.results.map((item) => item.error?.code)).toEqual(["forbidden", "already_decided"]);
    expect(response.body.results[1]).toMatchObject({ status: "rejected", error: { status: 409 } });
  });

  it("counts toward a quorum one vote per person, as a single approval does", async () => {
    const deploy = await openPause(t, prodDeploy());
    const once = await batch(t.approverKey, { pause_ids: [deploy.pause_id], decision: "approve" });
    expect(once.body.results[0]).toMatchObject({ status: "pending", proof_id: null });
    const again = await batch(t.approverKey, { pause_ids: [deploy.pause_id], decision: "approve" });
    expect(again.body.results[0]?.error?.code).toBe("already_approved");
    const second = await batch(t.secondApproverKey, { pause_ids: [deploy.pause_id], decision: "approve" });
    expect(second.body.results[0]).toMatchObject({ status: "approved" });
  });

  it("refuses agents, empty or oversized batches, repeated ids and edits, naming the field", async () => {
    const pause = await openPause(t, refund(100));
    expect((await batch(t.agentKey, { pause_ids: [pause.pause_id], decision: "approve" })).status).toBe(403);
    const empty = await call(t, "POST", "/v1/decisions", {
      key: t.approverKey,
      body: { pause_ids: [], decision: "approve" },
    });
    expect(empty.status).toBe(400);
    expect(JSON.stringify(empty.body)).toContain("pause_ids");
    const ids = Array.from({ length: 101 }, (_, index) => `pau_${index}`);
    expect((await batch(t.approverKey, { pause_ids: ids, decision: "approve" })).status).toBe(400);
    const twice = await call(t, "POST", "/v1/decisions", {
      key: t.approverKey,
      body: { pause_ids: [pause.pause_id, pause.pause_id], decision: "approve" },
    });
    expect(twice.status).toBe(400);
    const edits = await call(t, "POST", "/v1/decisions", {
      key: t.approverKey,
      body: { pause_ids: [pause.pause_id], decision: "approve", data: { amount: 1 } },
    });
    expect(edits.status).toBe(400);
    expect(JSON.stringify(edits.body)).toContain("data");
    expect(
      (
        (await call(t, "GET", `/v1/pauses/${pause.pause_id}`, { key: t.approverKey })).body as {
          status: string;
        }
      ).status,
    ).toBe("pending");
  });
});
