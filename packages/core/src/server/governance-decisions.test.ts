import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { verifyProof } from "../proof/verify-proof.ts";
import type { Pause } from "../protocol/pause.ts";
import { startTestServer, type TestServer } from "../testing/test-server.ts";
import {
  approverKey,
  auditOf,
  decide,
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

describe("quorum: deploys to prod need two engineers", () => {
  it("stays pending after one approval, shows the progress, and approves on the second distinct engineer", async () => {
    const pause = await openPause(t, prodDeploy());
    const first = await decide(t, pause.pause_id, t.approverKey, {
      decision: "approve",
      reason: "Tests green",
    });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ status: "pending", proof: null });
    expect((first.body as unknown as Pause).routing).toMatchObject({
      rule: "prod-deploys",
      approvals_required: 2,
      approvals: [{ id: "alice@example.com", channel: "api" }],
    });
    clock.advance(60);
    const second = await decide(t, pause.pause_id, t.secondApproverKey);
    expect(second.status).toBe(200);
    const approved = second.body as unknown as Pause;
    expect(approved.status).toBe("approved");
    expect(approved.decision?.decided_by).toMatchObject({ kind: "human", id: "bob@example.com" });
    expect(approved.routing?.approvals.map((approval) => approval.id)).toEqual([
      "alice@example.com",
      "bob@example.com",
    ]);
    // The proof names both approvers, signed: an auditor sees the quorum with the public key alone.
    const verified = await verifyProof(approved.proof, {
      keys: t.jwks,
      pauseId: pause.pause_id,
      action: pause.action,
      now: clock.now(),
    });
    const proof = verified.proof as Record<string, unknown>;
    expect(proof.approvals).toEqual([
      { id: "alice@example.com", channel: "api", at: "2026-11-21T10:00:00.000Z" },
      { id: "bob@example.com", channel: "api", at: "2026-11-21T10:01:00.000Z" },
    ]);
    expect(proof.policy).toMatchObject({ rule: "prod-deploys" });
    const types = (await auditOf(t, pause.pause_id)).map((event) => [
      event.type,
      event.data.vote ?? event.data.decision,
    ]);
    expect(types).toEqual([
      ["pause.opened", undefined],
      ["pause.routed", undefined],
      ["pause.decided", "approve"],
      ["pause.decided", "approve"],
      ["pause.decided", "approved"],
    ]);
  });

  it("does not count the same person twice (409)", async () => {
    const pause = await openPause(t, prodDeploy());
    expect((await decide(t, pause.pause_id, t.approverKey)).status).toBe(200);
    const again = await decide(t, pause.pause_id, t.approverKey);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe("already_approved");
    expect(again.body.detail).toContain(
      "alice@example.com has already approved this pause; it needs 2 distinct approvers (1 so far)",
    );
    expect((await call(t, "GET", `/v1/pauses/${pause.pause_id}`)).body.status).toBe("pending");
  });

  it("rejects at once on any single reject, even after an approval", async () => {
    const pause = await openPause(t, prodDeploy());
    await decide(t, pause.pause_id, t.approverKey);
    const rejected = await decide(t, pause.pause_id, t.secondApproverKey, {
      decision: "reject",
      reason: "Freeze week",
    });
    expect(rejected.body).toMatchObject({ status: "rejected", decision: { reason: "Freeze week" } });
    const proof = (rejected.body as unknown as Pause).proof as Record<string, unknown>;
    expect(proof.approvals).toEqual([expect.objectContaining({ id: "alice@example.com" })]);
    expect((await decide(t, pause.pause_id, await approverKey(t, "carol@example.com"))).status).toBe(409);
  });

  it("refuses edited arguments when more than one approval is needed", async () => {
    const pause = await openPause(t, prodDeploy());
    const response = await decide(t, pause.pause_id, t.approverKey, {
      decision: "approve",
      data: { service: "api", env: "staging" },
    });
    expect(response.status).toBe(400);
    expect(response.body.detail).toContain("needs 2 approvals");
  });

  it("settles once when two final approvals race; the later one is counted or told it came too late", async () => {
    await putIdentity(t, "carol@example.com", ["engineering"]);
    const carol = await approverKey(t, "carol@example.com");
    const pause = await openPause(t, prodDeploy());
    await decide(t, pause.pause_id, t.approverKey);
    const [bob, carolResult] = await Promise.all([
      decide(t, pause.pause_id, t.secondApproverKey),
      decide(t, pause.pause_id, carol),
    ]);
    expect([bob.status, carolResult.status]).toContain(200);
    for (const result of [bob, carolResult]) {
      if (result.status !== 200) expect(result.body).toMatchObject({ status: 409, code: "already_decided" });
    }
    const final = (await call(t, "GET", `/v1/pauses/${pause.pause_id}`)).body as unknown as Pause;
    expect(final.status).toBe("approved");
    const approvers = ((final.proof as Record<string, unknown>).approvals as { id: string }[]).map(
      (a) => a.id,
    );
    expect(new Set(approvers).size).toBe(approvers.length);
    expect(approvers[0]).toBe("alice@example.com");
    const decided = (await auditOf(t, pause.pause_id)).filter((event) => event.data.decision === "approved");
    expect(decided).toHaveLength(1);
  });
});

describe("separation of duties", () => {
  it("only lets routed approvers decide, resolving groups at decision time (403 with the reason)", async () => {
    const pause = await openPause(t, refund(900));
    const refused = await decide(t, pause.pause_id, t.approverKey);
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toBe(
      "alice@example.com may not decide this pause: policy rule large-refunds routes it to group:finance",
    );
    const refusedReject = await decide(t, pause.pause_id, t.approverKey, {
      decision: "reject",
      reason: "no",
    });
    expect(refusedReject.status).toBe(403);
    // Alice joins finance while the pause waits: she may now decide it.
    await putIdentity(t, "alice@example.com", ["engineering", "finance"]);
    expect((await decide(t, pause.pause_id, t.approverKey)).body.status).toBe("approved");
  });

  it("never lets the requester approve, even when routed to them", async () => {
    await putIdentity(t, "agent-owner@example.com", ["engineering"]);
    const owner = await approverKey(t, "agent-owner@example.com");
    const pause = await openPause(t, prodDeploy());
    const response = await decide(t, pause.pause_id, owner);
    expect(response.status).toBe(403);
    expect(response.body.detail).toContain("requested themselves");
    // The same address in other letter case is the same person.
    const shouting = await approverKey(t, "Agent-Owner@Example.com");
    const shouted = await decide(t, pause.pause_id, shouting);
    expect(shouted.status).toBe(403);
    expect(shouted.body.detail).toContain("requested themselves");
  });
});

describe("break-glass override", () => {
  it("lets an admin decide outside routing and quorum with a reason, flagged in the proof and the audit log", async () => {
    const pause = await openPause(t, prodDeploy());
    const response = await decide(t, pause.pause_id, t.adminKey, {
      decision: "approve",
      override: true,
      reason: "Sev-1 outage: rollback cannot wait",
    });
    expect(response.status).toBe(200);
    const decided = response.body as unknown as Pause;
    expect(decided.status).toBe("approved");
    expect(decided.decision).toMatchObject({
      decided_by: { kind: "human", id: "admin@example.com" },
      reason: "Sev-1 outage: rollback cannot wait",
    });
    const verified = await verifyProof(decided.proof, {
      keys: t.jwks,
      action: pause.action,
      now: clock.now(),
    });
    expect((verified.proof as Record<string, unknown>).override).toBe(true);
    const event = (await auditOf(t, pause.pause_id)).at(-1)!;
    expect(event).toMatchObject({
      type: "pause.decided",
      actor: { kind: "admin", id: "admin@example.com" },
      data: { decision: "approved", override: true, reason: "Sev-1 outage: rollback cannot wait" },
    });
  });

  it("needs a reason, needs an admin key, and never lets the requester override", async () => {
    const pause = await openPause(t, prodDeploy());
    const noReason = await decide(t, pause.pause_id, t.adminKey, { decision: "approve", override: true });
    expect(noReason.status).toBe(400);
    expect(noReason.body.detail).toContain("reason: an override needs a reason");
    const notAdmin = await decide(t, pause.pause_id, t.approverKey, {
      decision: "approve",
      override: true,
      reason: "x",
    });
    expect(notAdmin.status).toBe(403);
    expect(notAdmin.body.detail).toContain("Only an admin key may override");

    const opsAdmin = (await t.server.issueApiKey({ role: "admin", identity: "ops@example.com" })).key;
    const opsAgent = (
      await t.server.issueApiKey({ role: "agent", identity: "ops@example.com", agentIds: ["*"] })
    ).key;
    expect((await call(t, "POST", "/v1/pauses", { key: opsAdmin, body: prodDeploy() })).status).toBe(403);
    const own = await call(t, "POST", "/v1/pauses", { key: opsAgent, body: prodDeploy() });
    const ownId = (own.body as unknown as Pause).pause_id;
    const selfOverride = await decide(t, ownId, opsAdmin, {
      decision: "approve",
      override: true,
      reason: "mine",
    });
    expect(selfOverride.status).toBe(403);
    expect(selfOverride.body.detail).toContain("requested themselves");
  });
});
