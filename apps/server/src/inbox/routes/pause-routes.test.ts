import { createClient, type Pause, verifyDecision } from "@countersign/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PAYMENT } from "../test-support/inbox-harness.ts";
import { type ApiSession, type InboxServer, startInboxServer } from "../test-support/inbox-http.ts";

let server: InboxServer;
let alice: ApiSession;
let bob: ApiSession;
let agent: ReturnType<typeof createClient>;

beforeAll(async () => {
  server = await startInboxServer();
  alice = await server.signIn(server.t.approverKey);
  bob = await server.signIn(server.t.secondApproverKey);
  agent = createClient({ baseUrl: server.t.url, apiKey: server.t.agentKey });
});
afterAll(() => server.close());

const openPause = (action: Partial<typeof PAYMENT> = {}) =>
  agent.createPause({ agent_id: "billing-agent", action: { ...PAYMENT, ...action }, expires_in: 900 });

const decide = (
  pauseId: string,
  body: unknown,
  options: { session?: ApiSession; origin?: string | null } = {},
) =>
  server.request(`/inbox/api/pauses/${pauseId}/decision`, {
    method: "POST",
    body: JSON.stringify(body),
    session: alice,
    ...options,
  });

describe("the pending list", () => {
  it("lists pending pauses newest first and filters by risk", async () => {
    const low = await openPause({ title: "Refund $20", type: "refund", risk: "low" });
    const high = await openPause({ title: "Pay $12,450" });
    const response = await server.request("/inbox/api/pauses?status=pending", { session: alice });
    expect(response.headers.get("cache-control")).toBe("no-store");
    const ids = ((await response.json()).data as Pause[]).map((pause) => pause.pause_id);
    expect(ids.indexOf(high.pause_id)).toBeLessThan(ids.indexOf(low.pause_id));

    const onlyLow = await server.request("/inbox/api/pauses?status=pending&risk=low", { session: alice });
    const lowIds = ((await onlyLow.json()).data as Pause[]).map((pause) => pause.pause_id);
    expect(lowIds).toContain(low.pause_id);
    expect(lowIds).not.toContain(high.pause_id);
  });

  it("finds an order number inside the arguments, with the other filters, across cursor pages", async () => {
    const order = await openPause({
      type: "purchase_order",
      title: "Order laptops",
      data: { order: { number: "PO-55120", lines: [{ sku: "LAPTOP-14", qty: 12 }] } },
    });
    // More matches than one page, so the cursor has to carry the search.
    const refunds: Pause[] = [];
    for (let index = 0; index < 3; index++) {
      refunds.push(
        await openPause({ type: "refund", title: `Refund ${index}`, data: { ticket: "TCK-PAGE" } }),
      );
    }
    const list = async (query: string) => {
      const response = await server.request(`/inbox/api/pauses?${query}`, { session: alice });
      expect(response.status).toBe(200);
      return (await response.json()) as { data: Pause[]; next_cursor: string | null };
    };
    const ids = (page: { data: Pause[] }) => page.data.map((pause) => pause.pause_id);

    expect(ids(await list("q=po-55120"))).toEqual([order.pause_id]);
    expect(ids(await list("q=laptop-14&action_type=purchase_order"))).toEqual([order.pause_id]);
    expect(ids(await list("q=po-55120&action_type=refund"))).toEqual([]);
    expect(ids(await list("q=po-55120&status=decided"))).toEqual([]);

    const first = await list("q=tck-page&limit=2");
    expect(first.data).toHaveLength(2);
    const second = await list(`q=tck-page&limit=2&cursor=${encodeURIComponent(first.next_cursor!)}`);
    expect([...ids(first), ...ids(second)]).toEqual(refunds.map((pause) => pause.pause_id).reverse());
    expect(second.next_cursor).toBeNull();
  });

  it("lists decided pauses only under status=decided, and unstated risk as risk=unspecified", async () => {
    const unstated = await openPause({
      title: "No stated risk",
      risk: undefined,
      data: { tag: "RISKLESS-1" },
    });
    const decided = await openPause({ title: "Decided one", data: { tag: "RISKLESS-1" } });
    expect((await decide(decided.pause_id, { decision: "approve" })).status).toBe(200);
    const ids = async (query: string) =>
      (
        (await (await server.request(`/inbox/api/pauses?${query}`, { session: alice })).json())
          .data as Pause[]
      ).map((pause) => pause.pause_id);
    expect(await ids("q=riskless-1")).toEqual([unstated.pause_id]);
    expect(await ids("q=riskless-1&status=decided")).toEqual([decided.pause_id]);
    expect(await ids("q=riskless-1&status=all")).toEqual([decided.pause_id, unstated.pause_id]);
    expect(await ids("q=riskless-1&status=all&risk=unspecified")).toEqual([unstated.pause_id]);
  });

  it.each([
    ["status=open", "status"],
    ["risk=extreme", "risk"],
    ["q=%20%20", "q"],
    [`q=${"x".repeat(201)}`, "q"],
    ["limit=0", "limit"],
    ["limit=ten", "limit"],
    ["cursor=not-a-cursor", "cursor"],
    ["sort=newest", "sort"],
  ])("refuses ?%s with a 400 naming %s", async (query, field) => {
    const response = await server.request(`/inbox/api/pauses?${query}`, { session: alice });
    expect(response.status).toBe(400);
    const problem = await response.json();
    expect(problem.code).toBe("invalid_request");
    expect(JSON.stringify(problem.errors ?? problem.detail)).toContain(field);
  });

  it("needs a session", async () => {
    const response = await server.request("/inbox/api/pauses");
    expect(response.status).toBe(401);
    expect(response.headers.get("content-type")).toContain("application/problem+json");
  });
});

describe("a pause's card", () => {
  it("says who asked and what the viewer may do, and records that it was viewed", async () => {
    const pause = await openPause();
    const response = await server.request(`/inbox/api/pauses/${pause.pause_id}?view=1`, { session: alice });
    expect(await response.json()).toMatchObject({
      object: "inbox_pause",
      pause: { pause_id: pause.pause_id, status: "pending", action: PAYMENT },
      requested_by: "agent-owner@example.com",
      routing: null,
      viewer: { identity: "alice@example.com", can_decide: true, note: null },
    });
    const viewed = await server.t.store.listAudit({
      pauseId: pause.pause_id,
      type: "pause.viewed",
      limit: 10,
    });
    expect(viewed.map((event) => event.actor.id)).toEqual(["alice@example.com"]);
  });

  it("tells the requester that someone else must decide, and refuses their decision", async () => {
    const { key } = await server.t.server.issueApiKey({
      role: "approver",
      identity: "agent-owner@example.com",
    });
    const owner = await server.signIn(key);
    const pause = await openPause();
    const view = await (
      await server.request(`/inbox/api/pauses/${pause.pause_id}`, { session: owner })
    ).json();
    expect(view.viewer).toMatchObject({ can_decide: false, note: expect.stringMatching(/another approver/) });
    const response = await decide(pause.pause_id, { decision: "approve" }, { session: owner });
    expect(response.status).toBe(403);
    expect((await agent.getPause(pause.pause_id)).status).toBe("pending");
  });
});

describe("deciding", () => {
  it("refuses a decision without the CSRF token, from another origin, or from a cross-site page", async () => {
    const pause = await openPause();
    const noToken = await server.request(`/inbox/api/pauses/${pause.pause_id}/decision`, {
      method: "POST",
      headers: { cookie: alice.cookie },
      body: JSON.stringify({ decision: "approve" }),
    });
    expect(noToken.status).toBe(403);
    expect((await noToken.json()).detail).toMatch(/CSRF/);
    expect(
      (await decide(pause.pause_id, { decision: "approve" }, { origin: "https://evil.example" })).status,
    ).toBe(403);
    const crossSite = await server.request(`/inbox/api/pauses/${pause.pause_id}/decision`, {
      method: "POST",
      origin: null,
      session: alice,
      headers: { "sec-fetch-site": "cross-site" },
      body: JSON.stringify({ decision: "approve" }),
    });
    expect(crossSite.status).toBe(403);
    expect((await agent.getPause(pause.pause_id)).status).toBe("pending");
  });

  it("requires a reason to reject, and the agent's proof carries it", async () => {
    const pause = await openPause();
    const bare = await decide(pause.pause_id, { decision: "reject" });
    expect(bare.status).toBe(400);
    expect((await bare.json()).errors).toEqual([{ path: "reason", message: "required when rejecting" }]);

    const response = await decide(pause.pause_id, { decision: "reject", reason: "Duplicate request" });
    expect(response.status).toBe(200);
    expect((await response.json()).pause).toMatchObject({ status: "rejected" });
    const result = await verifyDecision(await agent.getPause(pause.pause_id), { keys: server.t.jwks });
    expect(result).toMatchObject({ approved: false, status: "rejected", reason: "Duplicate request" });
    expect(result.proof?.decided_by).toMatchObject({
      kind: "human",
      id: "alice@example.com",
      channel: "web",
    });
  });

  it("approves with edited arguments that the agent then runs with", async () => {
    const pause = await openPause();
    const edited = { ...PAYMENT.data, amount: 12000 };
    const response = await decide(pause.pause_id, {
      decision: "approve",
      data: edited,
      reason: "Capped at 12k",
    });
    expect(response.status).toBe(200);
    const result = await verifyDecision(await agent.getPause(pause.pause_id), { keys: server.t.jwks });
    expect(result).toMatchObject({ approved: true, data: edited, reason: "Capped at 12k" });
  });

  it("answers a late decider with who decided first, not an error page", async () => {
    const pause = await openPause();
    expect((await decide(pause.pause_id, { decision: "approve" })).status).toBe(200);
    const late = await decide(pause.pause_id, { decision: "reject", reason: "Too much" }, { session: bob });
    expect(late.status).toBe(409);
    const body = await late.json();
    expect(body.code).toBe("already_decided");
    expect(body.view.pause.decision.decided_by.id).toBe("alice@example.com");
    expect(body.view.pause.status).toBe("approved");
  });
});

describe("the proof download", () => {
  it("serves a decided pause's proof as an attachment, and nothing for a pending one", async () => {
    const pause = await openPause();
    expect(
      (await server.request(`/inbox/api/pauses/${pause.pause_id}/proof`, { session: alice })).status,
    ).toBe(404);
    await server.t.approve(pause.pause_id);
    const response = await server.request(`/inbox/api/pauses/${pause.pause_id}/proof`, { session: alice });
    expect(response.headers.get("content-disposition")).toBe(
      `attachment; filename="countersign-proof-${pause.pause_id}.json"`,
    );
    expect(await response.json()).toEqual((await agent.getPause(pause.pause_id)).proof);
  });
});

describe("live updates", () => {
  it("streams a pause decided elsewhere to a signed-in approver", async () => {
    const pause = await openPause();
    const controller = new AbortController();
    const response = await server.request("/inbox/api/events", { session: alice, signal: controller.signal });
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    const seen = (async () => {
      while (!/event: pause\ndata: .*"status":"rejected"/.test(text)) {
        const { value, done } = await reader.read();
        if (done) break;
        text += value;
      }
    })();
    while (!text.includes("event: ready")) await new Promise((resolve) => setTimeout(resolve, 10));
    await server.t.reject(pause.pause_id, "Not now", { apiKey: server.t.secondApproverKey });
    await seen;
    controller.abort();
    const event = text
      .split("\n\n")
      .find((block) => block.includes(pause.pause_id) && block.includes("rejected"))!;
    const streamed = JSON.parse(event.split("data: ")[1]!) as Pause;
    expect(streamed.decision).toMatchObject({ reason: "Not now", decided_by: { id: "bob@example.com" } });
  });

  it("is closed to anyone not signed in", async () => {
    expect((await server.request("/inbox/api/events")).status).toBe(401);
  });
});
