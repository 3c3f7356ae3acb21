import { type BatchDecisionResult, createClient, verifyDecision } from "@countersign/core";
import type { PolicyHook } from "@countersign/core/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PAYMENT } from "../test-support/inbox-harness.ts";
import { type ApiSession, type InboxServer, startInboxServer } from "../test-support/inbox-http.ts";

/** `payment-bob` is routed to bob alone; everything else to every approver. */
const policy: PolicyHook = {
  evaluate(request) {
    if (request.action.type !== "payment-bob") return null;
    return {
      outcome: "require",
      rule: "bob-only",
      version: "v1",
      routing: { approvers: ["bob@example.com"] },
    };
  },
};

let server: InboxServer;
let alice: ApiSession;
let agent: ReturnType<typeof createClient>;

beforeAll(async () => {
  server = await startInboxServer({}, { policy });
  alice = await server.signIn(server.t.approverKey);
  agent = createClient({ baseUrl: server.t.url, apiKey: server.t.agentKey });
});
afterAll(() => server.close());

const openPause = (action: Partial<typeof PAYMENT> = {}) =>
  agent.createPause({ agent_id: "billing-agent", action: { ...PAYMENT, ...action }, expires_in: 900 });

const decideMany = (body: unknown, options: { session?: ApiSession; origin?: string | null } = {}) =>
  server.request("/inbox/api/decisions", {
    method: "POST",
    body: JSON.stringify(body),
    session: alice,
    ...options,
  });

describe("POST /inbox/api/decisions", () => {
  it("decides each pause as alone: a proof each, and a 403 item for the one routed to someone else", async () => {
    const first = await openPause({ title: "Refund 1", data: { amount: 120, currency: "USD" } });
    const routedToBob = await openPause({ type: "payment-bob" });
    const second = await openPause({ title: "Refund 2", data: { amount: 80, currency: "USD" } });

    const response = await decideMany({
      pause_ids: [first.pause_id, routedToBob.pause_id, second.pause_id],
      decision: "approve",
      reason: "Refund queue reviewed",
    });
    expect(response.status).toBe(200);
    const result = (await response.json()) as BatchDecisionResult;
    expect(result).toMatchObject({ object: "batch_decision", decision: "approve", decided: 2, failed: 1 });
    expect(result.results.map((item) => [item.pause_id, item.status, item.error?.status])).toEqual([
      [first.pause_id, "approved", undefined],
      [routedToBob.pause_id, "pending", 403],
      [second.pause_id, "approved", undefined],
    ]);
    expect(result.results[1]!.error).toMatchObject({
      code: "forbidden",
      detail: expect.stringContaining("bob@example.com"),
    });

    for (const pause of [first, second]) {
      const verified = await verifyDecision(await agent.getPause(pause.pause_id), { keys: server.t.jwks });
      expect(verified).toMatchObject({ approved: true, reason: "Refund queue reviewed" });
      expect(verified.proof?.decided_by).toMatchObject({ id: "alice@example.com", channel: "web" });
    }
    expect((await agent.getPause(routedToBob.pause_id)).status).toBe("pending");
  });

  it("tells the list which pending pauses the approver may decide", async () => {
    const mine = await openPause({ data: { tag: "LIST-DECIDABLE" } });
    const bobs = await openPause({ type: "payment-bob", data: { tag: "LIST-DECIDABLE" } });
    const response = await server.request("/inbox/api/pauses?q=list-decidable", { session: alice });
    const page = (await response.json()) as { data: { pause_id: string }[]; can_decide: string[] };
    expect(page.data.map((pause) => pause.pause_id).sort()).toEqual([mine.pause_id, bobs.pause_id].sort());
    expect(page.can_decide).toEqual([mine.pause_id]);
  });

  it("rejects with the one reason given, and answers an already decided item with 409", async () => {
    const pending = await openPause();
    const decided = await openPause();
    await server.t.approve(decided.pause_id, { apiKey: server.t.secondApproverKey });
    const response = await decideMany({
      pause_ids: [pending.pause_id, decided.pause_id],
      decision: "reject",
      reason: "Duplicate request",
    });
    const result = (await response.json()) as BatchDecisionResult;
    expect(result.results.map((item) => [item.status, item.error?.code])).toEqual([
      ["rejected", undefined],
      ["approved", "already_decided"],
    ]);
    expect(
      await verifyDecision(await agent.getPause(pending.pause_id), { keys: server.t.jwks }),
    ).toMatchObject({ approved: false, reason: "Duplicate request" });
  });

  it("needs the session's CSRF token and the same origin", async () => {
    const pause = await openPause();
    const body = JSON.stringify({ pause_ids: [pause.pause_id], decision: "approve" });
    const noToken = await server.request("/inbox/api/decisions", {
      method: "POST",
      headers: { cookie: alice.cookie },
      body,
    });
    expect(noToken.status).toBe(403);
    expect((await noToken.json()).detail).toMatch(/CSRF/);
    const otherSite = await decideMany(
      { pause_ids: [pause.pause_id], decision: "approve" },
      { origin: "https://evil.example" },
    );
    expect(otherSite.status).toBe(403);
    const signedOut = await server.request("/inbox/api/decisions", { method: "POST", body });
    expect(signedOut.status).toBe(401);
    expect((await agent.getPause(pause.pause_id)).status).toBe("pending");
  });

  it.each([
    [{ decision: "approve" }, "pause_ids"],
    [{ pause_ids: [], decision: "approve" }, "pause_ids"],
    [{ pause_ids: ["pau_a", "pau_a"], decision: "approve" }, "pause_ids"],
    [
      { pause_ids: Array.from({ length: 101 }, (_, index) => `pau_${index}`), decision: "approve" },
      "pause_ids",
    ],
    [{ pause_ids: ["pau_a"], decision: "maybe" }, "decision"],
    [{ pause_ids: ["pau_a"], decision: "reject" }, "reason"],
    [{ pause_ids: ["pau_a"], decision: "approve", data: { amount: 1 } }, "data"],
  ])("refuses %j with a 400 naming %s, deciding nothing", async (body, field) => {
    const response = await decideMany(body);
    expect(response.status).toBe(400);
    const problem = await response.json();
    expect(problem.code).toBe("invalid_request");
    expect(JSON.stringify(problem.errors ?? problem.detail)).toContain(field);
  });
});
