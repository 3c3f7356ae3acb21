import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { compilePolicy } from "../../policy/compile-policy.ts";
import { policyHook } from "../../policy/policy-hook.ts";
import { verifyProof } from "../../proof/verify-proof.ts";
import type { Grant } from "../../protocol/grant.ts";
import type { Pause } from "../../protocol/pause.ts";
import { startTestServer, type TestServer } from "../../testing/test-server.ts";
import {
  approverKey,
  auditOf,
  fakeClock,
  openPause,
  prodDeploy,
  putIdentity,
  refund,
  seedPolicy,
} from "../governance-test-helpers.ts";
import { call } from "../server-test-helpers.ts";

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

const refundGrant = {
  agent_ids: ["support-*"],
  action_type: "refund",
  conditions: ["amount <= 400"],
  max_count: 3,
  max_total: { field: "amount", max: 500 },
  expires_in: 3600,
  reason: "Refund backlog after the outage",
};

async function grant(key: string, body: Record<string, unknown> = refundGrant): Promise<Grant> {
  const response = await call(t, "POST", "/v1/grants", { key, body });
  if (response.status !== 201)
    throw new Error(`grant failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as unknown as Grant;
}

async function readGrant(grantId: string): Promise<Grant> {
  return (await call(t, "GET", `/v1/grants/${grantId}`, { key: t.approverKey })).body as unknown as Grant;
}

describe("standing grants", () => {
  it("approves a fitting pause at once with a proof naming the grant and its grantor, and counts the use", async () => {
    const created = await grant(t.approverKey);
    expect(created).toMatchObject({
      status: "active",
      granted_by: "alice@example.com",
      remaining_count: 3,
      remaining_total: 500,
      expires_at: "2026-11-21T11:00:00.000Z",
    });
    const pause = await openPause(t, refund(120));
    expect(pause.status).toBe("approved");
    expect(pause.decision?.decided_by).toEqual({
      kind: "grant",
      id: `grant:${created.grant_id}`,
      grant_id: created.grant_id,
      granted_by: "alice@example.com",
    });
    const verified = await verifyProof(pause.proof, {
      keys: t.jwks,
      pauseId: pause.pause_id,
      action: pause.action,
      now: clock.now(),
    });
    expect(verified).toMatchObject({ approved: true, verifiedWith: ["ed25519"] });
    expect(pause.proof).toMatchObject({ human_response: false, reason: "Refund backlog after the outage" });
    expect(await readGrant(created.grant_id)).toMatchObject({
      used_count: 1,
      used_total: 120,
      remaining_count: 2,
      remaining_total: 380,
    });
    const audit = await auditOf(t, pause.pause_id);
    expect(audit.map((event) => event.type)).toEqual([
      "pause.opened",
      "pause.routed",
      "grant.used",
      "pause.decided",
    ]);
    expect(audit[2]).toMatchObject({
      actor: { kind: "human", id: "alice@example.com" },
      data: { grant_id: created.grant_id, amount: 120, action_type: "refund", conditions: ["amount <= 400"] },
    });
  });

  it("carries the grant's terms in the pause's evidence bundle", async () => {
    const created = await grant(t.approverKey);
    const pause = await openPause(t, refund(100));
    const bundle = await t.server.evidenceBundle(pause.pause_id);
    const used = bundle.events.find((event) => event.type === "grant.used");
    expect(used?.data).toMatchObject({
      grant_id: created.grant_id,
      granted_by: "alice@example.com",
      max_count: 3,
      max_total: { field: "amount", max: 500 },
    });
  });

  it("leaves pauses outside its terms or past its bounds to people", async () => {
    await grant(t.approverKey);
    // Outside the condition, another agent, another action type.
    expect((await openPause(t, refund(450))).status).toBe("pending");
    expect((await openPause(t, { ...refund(100), agent_id: "billing-agent" })).status).toBe("pending");
    // Total: 150 + 200 = 350; a further 200 would pass 500, 150 reaches it exactly.
    expect((await openPause(t, refund(150))).status).toBe("approved");
    expect((await openPause(t, refund(200))).status).toBe("approved");
    expect((await openPause(t, refund(200))).status).toBe("pending");
    expect((await openPause(t, refund(150))).status).toBe("approved");
    // Count: three uses were the most.
    expect((await openPause(t, refund(60))).status).toBe("pending");
  });

  it("stops at its expiry", async () => {
    await grant(t.approverKey, { ...refundGrant, expires_in: 600 });
    clock.advance(600);
    expect((await openPause(t, refund(100))).status).toBe("pending");
  });

  it("never widens a deny: the policy's deny rules come first", async () => {
    await grant(t.approverKey, { agent_ids: ["*"], action_type: "db.drop_table", expires_in: 3600 });
    const pause = await openPause(t, {
      agent_id: "ops-bot",
      action: { type: "db.drop_table", data: { table: "users" } },
    });
    expect(pause.status).toBe("rejected");
    expect(pause.decision?.decided_by).toMatchObject({ kind: "policy", rule: "deny-table-drops" });
  });

  it("never covers its grantor's own requests", async () => {
    const own = await t.server.issueApiKey({ role: "agent", identity: "alice@example.com", agentIds: ["*"] });
    await grant(t.approverKey);
    const response = await call(t, "POST", "/v1/pauses", { key: own.key, body: refund(100) });
    expect((response.body as unknown as Pause).status).toBe("pending");
  });

  it("reaches only as far as its grantor could decide: routing is checked at each use", async () => {
    // Refunds over 500 go to group:finance; alice is not in it, bob is.
    const wide = {
      ...refundGrant,
      conditions: ["amount <= 5000"],
      max_total: { field: "amount", max: 50_000 },
    };
    await grant(t.approverKey, wide);
    expect((await openPause(t, refund(900))).status).toBe("pending");
    const bobs = await grant(t.secondApproverKey, wide);
    const pause = await openPause(t, refund(900));
    expect(pause.status).toBe("approved");
    expect(pause.decision?.decided_by).toMatchObject({
      grant_id: bobs.grant_id,
      granted_by: "bob@example.com",
    });
  });

  it("never approves a pause that needs several approvals", async () => {
    await grant(t.approverKey, { agent_ids: ["deploy-bot"], action_type: "deploy", expires_in: 3600 });
    expect((await openPause(t, prodDeploy())).status).toBe("pending");
  });

  it("stops working once its grantor is no longer an approver", async () => {
    const carol = await approverKey(t, "carol@example.com");
    const created = await grant(carol);
    const keys = await t.store.listApiKeysByIdentity("carol@example.com");
    await t.store.revokeApiKey(keys[0]!.keyId, clock.now().toISOString());
    expect((await openPause(t, refund(100))).status).toBe("pending");
    expect((await readGrant(created.grant_id)).used_count).toBe(0);
  });

  it("is revoked by its grantor or an admin, not by another approver, and then covers nothing", async () => {
    const created = await grant(t.approverKey);
    const byBob = await call(t, "DELETE", `/v1/grants/${created.grant_id}`, { key: t.secondApproverKey });
    expect(byBob.status).toBe(403);
    const revoked = await call(t, "DELETE", `/v1/grants/${created.grant_id}`, {
      key: t.approverKey,
      body: { reason: "backlog cleared" },
    });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ status: "revoked", revoked_by: "alice@example.com" });
    expect((await openPause(t, refund(100))).status).toBe("pending");
    const other = await grant(t.approverKey);
    expect((await call(t, "DELETE", `/v1/grants/${other.grant_id}`, { key: t.adminKey })).status).toBe(200);
    const events = await call(t, "GET", "/v1/audit?type=grant.revoked", { key: t.adminKey });
    expect((events.body as { data: unknown[] }).data).toHaveLength(2);
  });

  it("lists grants with their state", async () => {
    const first = await grant(t.approverKey, { ...refundGrant, max_count: 1 });
    await openPause(t, refund(100));
    clock.advance(1);
    const second = await grant(t.secondApproverKey);
    const all = await call(t, "GET", "/v1/grants", { key: t.approverKey });
    expect((all.body as { data: Grant[] }).data.map((entry) => [entry.grant_id, entry.status])).toEqual([
      [second.grant_id, "active"],
      [first.grant_id, "exhausted"],
    ]);
    const active = await call(t, "GET", "/v1/grants?status=active", { key: t.adminKey });
    expect((active.body as { data: Grant[] }).data.map((entry) => entry.grant_id)).toEqual([second.grant_id]);
  });

  it("refuses agents, unknown conditions and expiries past the policy's maximum, naming the field", async () => {
    expect((await call(t, "POST", "/v1/grants", { key: t.agentKey, body: refundGrant })).status).toBe(403);
    const badCondition = await call(t, "POST", "/v1/grants", {
      key: t.approverKey,
      body: { ...refundGrant, conditions: ["amount <=="] },
    });
    expect(badCondition.status).toBe(400);
    expect(JSON.stringify(badCondition.body)).toContain("conditions.0");
    const tooLong = await call(t, "POST", "/v1/grants", {
      key: t.approverKey,
      body: { ...refundGrant, expires_in: 86_401 },
    });
    expect(tooLong.status).toBe(400);
    expect(JSON.stringify(tooLong.body)).toContain("expires_in");
    const huge = await call(t, "POST", "/v1/grants", {
      key: t.approverKey,
      body: { ...refundGrant, expires_in: 1e15 },
    });
    expect(huge.status).toBe(400);
    const negativeTotal = await call(t, "POST", "/v1/grants", {
      key: t.approverKey,
      body: { ...refundGrant, max_total: { field: "amount", max: -1 } },
    });
    expect(negativeTotal.status).toBe(400);
    expect(JSON.stringify(negativeTotal.body)).toContain("max_total.max");
    const both = await call(t, "POST", "/v1/grants", {
      key: t.approverKey,
      body: { ...refundGrant, expires_at: "2026-11-21T10:30:00.000Z" },
    });
    expect(both.status).toBe(400);
    const unknown = await call(t, "POST", "/v1/grants", {
      key: t.approverKey,
      body: { ...refundGrant, extra: 1 },
    });
    expect(unknown.status).toBe(400);
    expect((await call(t, "GET", "/v1/grants/grt_missing", { key: t.approverKey })).status).toBe(404);
  });

  it("never overruns its count when many fitting pauses open at once", async () => {
    const created = await grant(t.approverKey, { ...refundGrant, max_count: 5, max_total: undefined });
    const pauses = await Promise.all(Array.from({ length: 30 }, () => openPause(t, refund(100))));
    expect(pauses.filter((pause) => pause.status === "approved")).toHaveLength(5);
    expect(pauses.filter((pause) => pause.status === "pending")).toHaveLength(25);
    expect(await readGrant(created.grant_id)).toMatchObject({
      used_count: 5,
      remaining_count: 0,
      status: "exhausted",
    });
  });
});

describe("standing grants under a policy's grant settings", () => {
  it("caps the expiry at grants.max_duration; grants.enabled: false refuses new grants and stops old ones", async () => {
    await t.close();
    const compiled = compilePolicy({ grants: { max_duration: "1h" } });
    if (!compiled.ok) throw new Error("policy");
    t = await startTestServer({ policy: policyHook(compiled.policy), now: clock.now });
    expect((await call(t, "POST", "/v1/grants", { key: t.approverKey, body: refundGrant })).status).toBe(201);
    const over = await call(t, "POST", "/v1/grants", {
      key: t.approverKey,
      body: { ...refundGrant, expires_in: 3601 },
    });
    expect(over.status).toBe(400);
    await t.close();
    const disabled = compilePolicy({ grants: { enabled: false } });
    if (!disabled.ok) throw new Error("policy");
    // One server whose policy is switched while it runs (hot reload).
    let current = compiled.policy;
    t = await startTestServer({ policy: policyHook(() => current), now: clock.now });
    await grant(t.approverKey);
    expect((await openPause(t, refund(100))).status).toBe("approved");
    current = disabled.policy;
    expect((await call(t, "POST", "/v1/grants", { key: t.approverKey, body: refundGrant })).status).toBe(403);
    // A grant made before approves nothing while grants are off.
    expect((await openPause(t, refund(100))).status).toBe("pending");
  });
});
