import { createClient, type Grant, type Pause } from "@countersign/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiSession, type InboxServer, startInboxServer } from "../test-support/inbox-http.ts";

type InboxGrant = Grant & { can_revoke: boolean };

let server: InboxServer;
let alice: ApiSession;
let bob: ApiSession;
let admin: ApiSession;
let agent: ReturnType<typeof createClient>;

beforeAll(async () => {
  server = await startInboxServer();
  alice = await server.signIn(server.t.approverKey);
  bob = await server.signIn(server.t.secondApproverKey);
  admin = await server.signIn(server.t.adminKey);
  agent = createClient({ baseUrl: server.t.url, apiKey: server.t.agentKey });
});
afterAll(() => server.close());

/** Each test covers its own agent, so one test's grants never approve another's pauses. */
let agents = 0;
function refundGrant(overrides: Record<string, unknown> = {}) {
  agents += 1;
  return {
    agent_ids: [`support-bot-${agents}`],
    action_type: "refund",
    conditions: ["amount <= 200"],
    max_count: 3,
    max_total: { field: "amount", max: 400 },
    expires_in: 3600,
    reason: "Refund backlog after the outage",
    ...overrides,
  };
}

const openRefund = (agentId: string, amount: number) =>
  agent.createPause({
    agent_id: agentId,
    action: { type: "refund", title: `Refund $${amount}`, data: { amount, currency: "USD" } },
    expires_in: 900,
  });

const post = (path: string, body: unknown, options: { session?: ApiSession; origin?: string | null } = {}) =>
  server.request(path, { method: "POST", body: JSON.stringify(body), session: alice, ...options });

async function grant(body: Record<string, unknown>, session = alice): Promise<InboxGrant> {
  const response = await post("/inbox/api/grants", body, { session });
  if (response.status !== 201) throw new Error(`grant: ${response.status} ${await response.text()}`);
  return (await response.json()) as InboxGrant;
}

async function listGrants(session: ApiSession) {
  const response = await server.request("/inbox/api/grants", { session });
  expect(response.status).toBe(200);
  return (await response.json()) as {
    data: InboxGrant[];
    limits: { enabled: boolean; max_duration_seconds: number };
  };
}

describe("standing grants in the inbox", () => {
  it("grants in the signed-in approver's name; a fitting pause is approved by it at once", async () => {
    const terms = refundGrant();
    const created = await grant(terms);
    expect(created).toMatchObject({
      status: "active",
      granted_by: "alice@example.com",
      remaining_count: 3,
      remaining_total: 400,
      can_revoke: true,
    });
    const pause = await openRefund(terms.agent_ids[0]!, 150);
    expect(pause.status).toBe("approved");
    expect(pause.decision?.decided_by).toMatchObject({
      kind: "grant",
      grant_id: created.grant_id,
      granted_by: "alice@example.com",
    });
    const created_event = await server.t.store.listAudit({ type: "grant.created", limit: 100 });
    expect(created_event.at(-1)?.actor).toEqual({ kind: "human", id: "alice@example.com" });
  });

  it("lists grants active first with what is left of each, the policy's limit, and who may revoke", async () => {
    const used = refundGrant({ max_count: 1 });
    const exhausted = await grant(used);
    await openRefund(used.agent_ids[0]!, 50);
    const active = await grant(refundGrant(), bob);
    const revoked = await grant(refundGrant(), bob);
    await server.request(`/inbox/api/grants/${revoked.grant_id}`, { method: "DELETE", session: bob });

    const list = await listGrants(alice);
    expect(list.limits).toEqual({ enabled: true, max_duration_seconds: 86_400 });
    const statuses = list.data.map((entry) => entry.status);
    expect(statuses.indexOf("exhausted")).toBeGreaterThan(statuses.lastIndexOf("active"));
    const byId = new Map(list.data.map((entry) => [entry.grant_id, entry]));
    expect(byId.get(exhausted.grant_id)).toMatchObject({
      status: "exhausted",
      remaining_count: 0,
      remaining_total: 350,
      can_revoke: false,
    });
    expect(byId.get(active.grant_id)).toMatchObject({
      status: "active",
      remaining_count: 3,
      can_revoke: false,
    });
    expect(byId.get(revoked.grant_id)).toMatchObject({ status: "revoked", revoked_by: "bob@example.com" });
    const forAdmin = new Map((await listGrants(admin)).data.map((entry) => [entry.grant_id, entry]));
    expect(forAdmin.get(active.grant_id)?.can_revoke).toBe(true);
  });

  it("is revoked by its grantor or an admin, not another approver, and then covers nothing", async () => {
    const terms = refundGrant();
    const created = await grant(terms);
    const path = `/inbox/api/grants/${created.grant_id}`;
    const byBob = await server.request(path, { method: "DELETE", session: bob });
    expect(byBob.status).toBe(403);
    const byAlice = await server.request(path, {
      method: "DELETE",
      session: alice,
      body: JSON.stringify({ reason: "backlog cleared" }),
    });
    expect(byAlice.status).toBe(200);
    expect(await byAlice.json()).toMatchObject({
      status: "revoked",
      revoked_by: "alice@example.com",
      can_revoke: false,
    });
    expect((await openRefund(terms.agent_ids[0]!, 20)).status).toBe("pending");

    const other = await grant(refundGrant());
    const byAdmin = await server.request(`/inbox/api/grants/${other.grant_id}`, {
      method: "DELETE",
      session: admin,
    });
    expect(byAdmin.status).toBe(200);
    expect(await byAdmin.json()).toMatchObject({ status: "revoked", revoked_by: "admin@example.com" });
    const missing = await server.request("/inbox/api/grants/grt_missing", {
      method: "DELETE",
      session: alice,
    });
    expect(missing.status).toBe(404);
  });

  it("refuses a grant or a revocation without the CSRF token or from another origin, and makes nothing", async () => {
    const before = (await listGrants(alice)).data.length;
    const noToken = await server.request("/inbox/api/grants", {
      method: "POST",
      headers: { cookie: alice.cookie },
      body: JSON.stringify(refundGrant()),
    });
    expect(noToken.status).toBe(403);
    expect((await noToken.json()).detail).toMatch(/CSRF/);
    expect((await post("/inbox/api/grants", refundGrant(), { origin: "https://evil.example" })).status).toBe(
      403,
    );
    expect((await listGrants(alice)).data).toHaveLength(before);

    const created = await grant(refundGrant());
    const revokeNoToken = await server.request(`/inbox/api/grants/${created.grant_id}`, {
      method: "DELETE",
      headers: { cookie: alice.cookie },
    });
    expect(revokeNoToken.status).toBe(403);
    const crossSite = await server.request(`/inbox/api/grants/${created.grant_id}`, {
      method: "DELETE",
      session: alice,
      origin: "https://evil.example",
    });
    expect(crossSite.status).toBe(403);
    const still = (await listGrants(alice)).data.find((entry) => entry.grant_id === created.grant_id);
    expect(still?.status).toBe("active");
  });

  it.each([
    [{ conditions: ["amount <=="] }, "conditions.0"],
    [{ expires_in: 86_401 }, "expires_in"],
    [{ max_total: { field: "amount", max: -1 } }, "max_total.max"],
    [{ max_count: 0 }, "max_count"],
    [{ agent_ids: [] }, "agent_ids"],
    [{ expires_in: undefined }, "expires_at"],
    [{ extra: 1 }, "extra"],
  ])("refuses %j with a 400 naming %s", async (change, field) => {
    const response = await post("/inbox/api/grants", refundGrant(change));
    expect(response.status).toBe(400);
    const problem = await response.json();
    expect(problem.code).toBe("invalid_request");
    expect(JSON.stringify(problem.errors ?? problem.detail)).toContain(field);
  });

  it("lets nobody grant who is not a signed-in, active approver", async () => {
    expect((await server.request("/inbox/api/grants")).status).toBe(401);
    const unsigned = await server.request("/inbox/api/grants", {
      method: "POST",
      body: JSON.stringify(refundGrant()),
    });
    expect(unsigned.status).toBe(401);
    // An agent key never gets a session, so its owner cannot grant from the inbox.
    await expect(server.signIn(server.t.agentKey)).rejects.toThrow(/403/);
    // An approver whose key is revoked mid-session can no longer grant.
    const { key, record } = await server.t.server.issueApiKey({
      role: "approver",
      identity: "carol@example.com",
    });
    const carol = await server.signIn(key);
    await grant(refundGrant(), carol);
    await server.t.store.revokeApiKey(record.keyId, new Date().toISOString());
    const before = (await listGrants(alice)).data.length;
    expect((await post("/inbox/api/grants", refundGrant(), { session: carol })).status).toBe(401);
    expect((await listGrants(alice)).data).toHaveLength(before);
  });
});

describe("approve this and similar ones", () => {
  const approveAndGrant = (pauseId: string, body: unknown, session = alice) =>
    post(`/inbox/api/pauses/${pauseId}/approve-and-grant`, body, { session });

  it("approves the card's pause by hand and grants the ones like it", async () => {
    const terms = refundGrant({ conditions: ["amount <= 120"] });
    const first = await openRefund(terms.agent_ids[0]!, 120);
    const response = await approveAndGrant(first.pause_id, terms);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { view: { pause: Pause }; grant: InboxGrant };
    expect(body.view.pause.status).toBe("approved");
    expect(body.view.pause.decision?.decided_by).toMatchObject({
      kind: "human",
      id: "alice@example.com",
      channel: "web",
    });
    expect(body.view.pause.decision?.reason).toBe(terms.reason);
    expect(body.grant).toMatchObject({ status: "active", used_count: 0, remaining_count: 3 });

    const second = await openRefund(terms.agent_ids[0]!, 80);
    expect(second.decision?.decided_by).toMatchObject({ kind: "grant", grant_id: body.grant.grant_id });
    expect((await openRefund(terms.agent_ids[0]!, 121)).status).toBe("pending");
  });

  it("decides nothing when the grant is refused, naming the field", async () => {
    const terms = refundGrant({ expires_in: 86_401 });
    const pause = await openRefund(terms.agent_ids[0]!, 100);
    const response = await approveAndGrant(pause.pause_id, terms);
    expect(response.status).toBe(400);
    expect(JSON.stringify((await response.json()).errors)).toContain("expires_in");
    expect((await agent.getPause(pause.pause_id)).status).toBe("pending");
  });

  it("refuses the requester, and grants nothing", async () => {
    const { key } = await server.t.server.issueApiKey({
      role: "approver",
      identity: "agent-owner@example.com",
    });
    const owner = await server.signIn(key);
    const terms = refundGrant();
    const pause = await openRefund(terms.agent_ids[0]!, 100);
    const before = (await listGrants(alice)).data.length;
    const response = await approveAndGrant(pause.pause_id, terms, owner);
    expect(response.status).toBe(403);
    expect((await listGrants(alice)).data).toHaveLength(before);
    expect((await agent.getPause(pause.pause_id)).status).toBe("pending");
  });

  it("answers a late decider with who decided first, and leaves no grant in force", async () => {
    const terms = refundGrant();
    const pause = await openRefund(terms.agent_ids[0]!, 100);
    await server.t.approve(pause.pause_id, { apiKey: server.t.secondApproverKey });
    const response = await approveAndGrant(pause.pause_id, terms);
    expect(response.status).toBe(409);
    const problem = await response.json();
    expect(problem.view.pause.decision.decided_by.id).toBe("bob@example.com");
    const mine = (await listGrants(alice)).data.filter(
      (entry) => entry.agent_ids[0] === terms.agent_ids[0] && entry.status === "active",
    );
    expect(mine).toEqual([]);
  });

  it("needs the CSRF token", async () => {
    const terms = refundGrant();
    const pause = await openRefund(terms.agent_ids[0]!, 100);
    const response = await server.request(`/inbox/api/pauses/${pause.pause_id}/approve-and-grant`, {
      method: "POST",
      headers: { cookie: alice.cookie },
      body: JSON.stringify(terms),
    });
    expect(response.status).toBe(403);
    expect((await agent.getPause(pause.pause_id)).status).toBe("pending");
  });
});
