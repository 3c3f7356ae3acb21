import { describe, expect, it } from "vitest";
import { type Routing, RoutingSchema } from "../protocol/pause.ts";
import type { PauseRecord } from "../store/records.ts";
import {
  allAuditEvents,
  at,
  auditFixture,
  decisionFixture,
  openPause,
  pauseFixture,
  routingFixture,
  type StoreHarness,
} from "./store-conformance-fixtures.ts";

function newestFirst(pauses: PauseRecord[]): PauseRecord[] {
  return [...pauses].sort((a, b) =>
    a.createdAt === b.createdAt ? (a.pauseId < b.pauseId ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1,
  );
}

const ids = (pauses: PauseRecord[]) => pauses.map((pause) => pause.pauseId);

export function describePauseConformance(harness: StoreHarness): void {
  describe("pauses", () => {
    it("answers ping and tolerates a second migrate without losing data", async () => {
      const pause = await openPause(harness.store);
      await expect(harness.store.ping()).resolves.toBeUndefined();
      await harness.store.migrate();
      expect(await harness.store.getPause(pause.pauseId)).toEqual(pause);
    });

    it("returns every field of a created pause as it was given", async () => {
      const pending = pauseFixture();
      const bare = pauseFixture({
        agentId: "other-agent",
        action: { type: "deploy" },
        recipients: [],
        webhookUrl: null,
        context: {},
        metadata: {},
        ownerKeyId: null,
        requestedBy: null,
        routing: null,
      });
      const decidedBase = pauseFixture({ createdAt: at(5), expiresAt: at(3_600) });
      const decision = decisionFixture(decidedBase, "approved");
      const decided = { ...decidedBase, ...decision, claimedAt: at(90) };

      for (const pause of [pending, bare, decided]) {
        const result = await harness.store.createPause(pause, { audit: [] });
        expect(result).toEqual({ pause, created: true });
        expect(await harness.store.getPause(pause.pauseId)).toEqual(pause);
      }
    });

    it("returns null for a pause that does not exist", async () => {
      expect(await harness.store.getPause("pau_00000000000000000000000000")).toBeNull();
    });

    it("appends the given audit events in the same call", async () => {
      const pause = pauseFixture();
      await harness.store.createPause(pause, {
        audit: [
          auditFixture("pause.opened", { pauseId: pause.pauseId, agentId: pause.agentId }),
          auditFixture("pause.routed", { pauseId: pause.pauseId, data: { group: "finance" } }),
        ],
      });
      const events = await harness.store.listAudit({ pauseId: pause.pauseId, limit: 10 });
      expect(events.map((event) => event.type)).toEqual(["pause.opened", "pause.routed"]);
      expect(events[1]?.data).toEqual({ group: "finance" });
    });
  });

  describe("idempotency", () => {
    const idempotency = { scope: "key_agent", key: "idem-1", requestHash: "a".repeat(64) };

    it("returns the first pause for the same key and body, writing nothing", async () => {
      const first = pauseFixture();
      const audit = (pause: PauseRecord) => [auditFixture("pause.opened", { pauseId: pause.pauseId })];
      await harness.store.createPause(first, { idempotency, audit: audit(first) });
      const replay = pauseFixture({ agentId: "replayed-agent", createdAt: at(30) });
      const result = await harness.store.createPause(replay, { idempotency, audit: audit(replay) });

      expect(result).toEqual({ pause: first, created: false });
      expect(await harness.store.getPause(replay.pauseId)).toBeNull();
      expect(ids((await harness.store.listPauses({ limit: 100 })).items)).toEqual([first.pauseId]);
      expect((await allAuditEvents(harness.store)).map((event) => event.pause_id)).toEqual([first.pauseId]);
    });

    it("rejects the same key with another body as idempotency_conflict", async () => {
      const first = pauseFixture();
      await harness.store.createPause(first, { idempotency, audit: [] });
      const other = pauseFixture();
      await expect(
        harness.store.createPause(other, {
          idempotency: { ...idempotency, requestHash: "b".repeat(64) },
          audit: [],
        }),
      ).rejects.toMatchObject({ name: "CountersignError", code: "idempotency_conflict" });
      expect(await harness.store.getPause(other.pauseId)).toBeNull();
      expect(await harness.store.getPause(first.pauseId)).toEqual(first);
    });

    it("lets exactly one of 20 concurrent creates with one key insert", async () => {
      const attempts = Array.from({ length: 20 }, () => pauseFixture());
      const results = await Promise.all(
        attempts.map((pause) =>
          harness.store.createPause(pause, {
            idempotency,
            audit: [auditFixture("pause.opened", { pauseId: pause.pauseId })],
          }),
        ),
      );
      const winners = results.filter((result) => result.created);
      expect(winners).toHaveLength(1);
      const winnerId = winners[0]!.pause.pauseId;
      expect(new Set(results.map((result) => result.pause.pauseId))).toEqual(new Set([winnerId]));
      expect(ids((await harness.store.listPauses({ limit: 100 })).items)).toEqual([winnerId]);
      expect(await allAuditEvents(harness.store)).toHaveLength(1);
    });

    it("keeps keys of different scopes independent", async () => {
      const mine = pauseFixture();
      const theirs = pauseFixture();
      const a = await harness.store.createPause(mine, { idempotency, audit: [] });
      const b = await harness.store.createPause(theirs, {
        idempotency: { ...idempotency, scope: "key_other" },
        audit: [],
      });
      expect([a.created, b.created]).toEqual([true, true]);
      expect(b.pause.pauseId).toBe(theirs.pauseId);
    });
  });

  describe("listPauses", () => {
    it("filters by status, agent, action type and owner key, newest first", async () => {
      const a = await openPause(harness.store, { agentId: "agent-a", ownerKeyId: "key_1", createdAt: at(1) });
      const b = await openPause(harness.store, {
        agentId: "agent-b",
        ownerKeyId: "key_2",
        action: { type: "refund" },
        createdAt: at(2),
      });
      const c = await openPause(harness.store, {
        agentId: "agent-a",
        ownerKeyId: "key_1",
        action: { type: "refund" },
        createdAt: at(3),
      });
      await harness.store.decide(c.pauseId, decisionFixture(c, "approved"), { audit: [] });
      const list = async (query: object) =>
        ids((await harness.store.listPauses({ limit: 100, ...query })).items);

      expect(await list({})).toEqual([c.pauseId, b.pauseId, a.pauseId]);
      expect(await list({ status: "pending" })).toEqual([b.pauseId, a.pauseId]);
      expect(await list({ status: "approved" })).toEqual([c.pauseId]);
      expect(await list({ status: "rejected" })).toEqual([]);
      expect(await list({ agentId: "agent-a" })).toEqual([c.pauseId, a.pauseId]);
      expect(await list({ actionType: "refund" })).toEqual([c.pauseId, b.pauseId]);
      expect(await list({ ownerKeyId: "key_2" })).toEqual([b.pauseId]);
      expect(await list({ agentId: "agent-a", actionType: "refund", status: "approved" })).toEqual([
        c.pauseId,
      ]);
    });

    it("filters decided pauses and by the declared risk, unstated risk included", async () => {
      const high = await openPause(harness.store, { createdAt: at(1) });
      const unstated = await openPause(harness.store, { action: { type: "deploy" }, createdAt: at(2) });
      const low = await openPause(harness.store, {
        action: { type: "refund", risk: "low" },
        createdAt: at(3),
      });
      await harness.store.decide(low.pauseId, decisionFixture(low, "rejected"), { audit: [] });
      const list = async (query: object) =>
        ids((await harness.store.listPauses({ limit: 100, ...query })).items);

      expect(await list({ decided: true })).toEqual([low.pauseId]);
      expect(await list({ decided: true, status: "pending" })).toEqual([unstated.pauseId, high.pauseId]);
      expect(await list({ risk: "high" })).toEqual([high.pauseId]);
      expect(await list({ risk: null })).toEqual([unstated.pauseId]);
      expect(await list({ risk: "low", decided: true })).toEqual([low.pauseId]);
      expect(await list({ risk: "critical" })).toEqual([]);
    });

    it("searches ids, agents, types, titles, descriptions and values anywhere in the arguments", async () => {
      const order = await openPause(harness.store, {
        agentId: "procurement-bot",
        action: {
          type: "purchase_order",
          title: "Order laptops",
          description: "For the new hires",
          data: {
            order: {
              number: "PO-88231",
              lines: [
                { sku: "LAPTOP-14", qty: 12 },
                { sku: "DOCK", qty: 3.5 },
              ],
            },
            supplier: "Contoso 100% Ltd",
          },
        },
        createdAt: at(1),
      });
      const payment = await openPause(harness.store, { createdAt: at(2) });
      const bare = await openPause(harness.store, { action: { type: "deploy" }, createdAt: at(3) });
      const search = async (text: string, query: object = {}) =>
        ids((await harness.store.listPauses({ limit: 100, text, ...query })).items);

      expect(await search("po-88231")).toEqual([order.pauseId]); // nested value, any case
      expect(await search("laptop-14")).toEqual([order.pauseId]); // inside an array
      expect(await search("3.5")).toEqual([order.pauseId]); // a number
      expect(await search("100% ltd")).toEqual([order.pauseId]); // % is a plain character
      expect(await search("%")).toEqual([order.pauseId]); // even alone
      expect(await search("NEW HIRES")).toEqual([order.pauseId]); // description
      expect(await search("acme")).toEqual([payment.pauseId]); // title and data
      expect(await search("PROCUREMENT")).toEqual([order.pauseId]); // agent
      expect(await search("deplo")).toEqual([bare.pauseId]); // action type
      expect(await search(payment.pauseId)).toEqual([payment.pauseId]);
      expect(await search("sku")).toEqual([]); // keys are not values
      expect(await search("lines")).toEqual([]);
      expect(await search("nothing like this")).toEqual([]);
      expect(await search("acme", { agentId: "procurement-bot" })).toEqual([]);
    });

    it("pages a search with a cursor, newest first", async () => {
      const matching: PauseRecord[] = [];
      for (let index = 0; index < 5; index++) {
        matching.push(
          await openPause(harness.store, {
            action: { type: "payment", data: { invoice: `INV-7${index}` } },
            createdAt: at(Math.floor(index / 2)),
          }),
        );
        await openPause(harness.store, { action: { type: "payment", data: { invoice: "X-1" } } });
      }
      const pages: string[][] = [];
      let cursor: string | undefined;
      do {
        const page = await harness.store.listPauses({ text: "inv-7", limit: 2, cursor });
        pages.push(ids(page.items));
        cursor = page.nextCursor ?? undefined;
      } while (cursor !== undefined && pages.length < 10);
      expect(pages.map((page) => page.length)).toEqual([2, 2, 1]);
      expect(pages.flat()).toEqual(ids(newestFirst(matching)));
    });

    it("pages through more than one page with no duplicates or gaps", async () => {
      // Pairs share a creation time, so the pause id has to break the tie.
      const created: PauseRecord[] = [];
      for (let index = 0; index < 7; index++) {
        created.push(await openPause(harness.store, { createdAt: at(Math.floor(index / 2)) }));
      }
      const other = await openPause(harness.store, { agentId: "other-agent", createdAt: at(2) });

      const pages: string[][] = [];
      let cursor: string | undefined;
      do {
        const page = await harness.store.listPauses({ agentId: "billing-agent", limit: 3, cursor });
        pages.push(ids(page.items));
        cursor = page.nextCursor ?? undefined;
      } while (cursor !== undefined && pages.length < 10);

      expect(pages.map((page) => page.length)).toEqual([3, 3, 1]);
      expect(pages.flat()).toEqual(ids(newestFirst(created)));
      expect(pages.flat()).not.toContain(other.pauseId);
    });

    it("gives no cursor when the last page is exactly full", async () => {
      for (let index = 0; index < 2; index++) await openPause(harness.store, { createdAt: at(index) });
      const page = await harness.store.listPauses({ limit: 2 });
      expect(page.items).toHaveLength(2);
      expect(page.nextCursor).toBeNull();
    });

    it("rejects a cursor it did not issue with invalid_request", async () => {
      await expect(harness.store.listPauses({ limit: 10, cursor: "not-a-cursor" })).rejects.toMatchObject({
        code: "invalid_request",
      });
    });
  });

  describe("listExpired and updateRouting", () => {
    it("lists only pending pauses whose expiry has come, oldest expiry first, up to the limit", async () => {
      const later = await openPause(harness.store, { expiresAt: at(10) });
      const earliest = await openPause(harness.store, { expiresAt: at(5) });
      const onTheDot = await openPause(harness.store, { expiresAt: at(15) });
      await openPause(harness.store, { expiresAt: at(16) });
      const decided = await openPause(harness.store, { expiresAt: at(1) });
      await harness.store.decide(decided.pauseId, decisionFixture(decided, "rejected"), { audit: [] });

      expect(ids(await harness.store.listExpired(at(15), 10))).toEqual([
        earliest.pauseId,
        later.pauseId,
        onTheDot.pauseId,
      ]);
      expect(ids(await harness.store.listExpired(at(15), 2))).toEqual([earliest.pauseId, later.pauseId]);
      expect(await harness.store.listExpired(at(4), 10)).toEqual([]);
    });

    it("merges routing into a pending pause and appends the audit event", async () => {
      const routing = routingFixture({ group: "finance" });
      const pause = await openPause(harness.store, { routing });
      expect((await harness.store.getPause(pause.pauseId))?.routing).toEqual(routing);
      const change = {
        approvers: ["alice@example.com", "group:finance", "group:treasury"],
        escalated_at: at(600),
        group: "treasury",
      };
      const updated = await harness.store.updateRouting(pause.pauseId, change, [
        auditFixture("pause.escalated", { pauseId: pause.pauseId }),
      ]);
      const expected = { ...routing, ...change };
      expect(updated?.routing).toEqual(expected);
      expect((await harness.store.getPause(pause.pauseId))?.routing).toEqual(expected);
      const events = await harness.store.listAudit({ pauseId: pause.pauseId, limit: 10 });
      expect(events.map((event) => event.type)).toEqual(["pause.opened", "pause.escalated"]);

      // A pause opened without a policy gets a whole routing, every other field at its neutral value.
      const bare = await openPause(harness.store, { routing: null });
      const approvals = [{ id: "bob@example.com", channel: "web", at: at(40) }];
      expect((await harness.store.updateRouting(bare.pauseId, { approvals }, []))?.routing).toEqual({
        rule: "unknown",
        policy_version: "unknown",
        outcome: "require",
        approvers: null,
        approvals_required: 1,
        approvals,
        escalation: null,
        escalated_at: null,
      });
    });

    it("reads an odd or legacy routing row into a typed routing that lets nobody in by mistake", async () => {
      // What an older version or a careless policy hook may have written, bypassing the types.
      const odd = {
        rule: 7,
        outcome: "maybe",
        approvers: { everyone: true },
        approvals_required: 0,
        approvals: [{ id: "alice@example.com", channel: "slack", at: at(30) }, { id: 5 }, "bob"],
        escalation: { after_seconds: "soon", to: ["group:ops"] },
        escalated_at: 12,
        note: "kept",
      } as unknown as Routing;
      const pause = await openPause(harness.store, { routing: odd });
      const expected: Routing = {
        rule: "unknown",
        policy_version: "unknown",
        outcome: "require",
        approvers: [],
        approvals_required: 1,
        approvals: [{ id: "alice@example.com", channel: "slack", at: at(30) }],
        escalation: null,
        escalated_at: null,
        note: "kept",
      };
      const read = await harness.store.getPause(pause.pauseId);
      expect(read?.routing).toEqual(expected);
      expect(RoutingSchema.parse(read?.routing)).toEqual(expected);
      const listed = await harness.store.listPauses({ limit: 100 });
      expect(listed.items.find((item) => item.pauseId === pause.pauseId)?.routing).toEqual(expected);

      const single = await openPause(harness.store, {
        routing: { rule: "old", approvers: "carol@example.com" } as unknown as Routing,
      });
      expect((await harness.store.getPause(single.pauseId))?.routing?.approvers).toEqual([
        "carol@example.com",
      ]);
    });

    it("leaves a decided pause's routing alone and returns null for a missing pause", async () => {
      const pause = await openPause(harness.store);
      await harness.store.decide(pause.pauseId, decisionFixture(pause, "approved"), { audit: [] });
      const result = await harness.store.updateRouting(pause.pauseId, { group: "late" }, [
        auditFixture("pause.escalated", { pauseId: pause.pauseId }),
      ]);
      expect(result?.routing).toEqual(pause.routing);
      expect((await harness.store.getPause(pause.pauseId))?.routing).toEqual(pause.routing);
      expect(await harness.store.listAudit({ type: "pause.escalated", limit: 10 })).toEqual([]);
      expect(
        await harness.store.updateRouting("pau_00000000000000000000000000", { rule: "late" }, []),
      ).toBeNull();
    });
  });
}
