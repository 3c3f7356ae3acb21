import { describe, expect, it } from "vitest";
import { newId } from "../protocol/ids.ts";
import type { GrantRecord, PauseRecord } from "../store/records.ts";
import type { Store } from "../store/store.ts";
import {
  at,
  auditFixture,
  decisionFixture,
  deliveryFixture,
  openPause,
  type StoreHarness,
} from "./store-conformance-fixtures.ts";

export function grantFixture(overrides: Partial<GrantRecord> = {}): GrantRecord {
  return {
    grantId: newId("grant"),
    grantedBy: "alice@example.com",
    agentIds: ["support-*"],
    actionType: "refund",
    conditions: ["amount <= 200"],
    maxCount: 10,
    maxTotal: { field: "amount", max: 2000 },
    usedCount: 0,
    usedTotal: 0,
    reason: "refund backlog",
    createdAt: at(0),
    expiresAt: at(3600),
    revokedAt: null,
    revokedBy: null,
    ...overrides,
  };
}

async function createGrant(store: Store, overrides: Partial<GrantRecord> = {}): Promise<GrantRecord> {
  const grant = grantFixture(overrides);
  await store.createGrant(grant, [auditFixture("grant.created", { data: { grant_id: grant.grantId } })]);
  return grant;
}

function useGrant(store: Store, pause: PauseRecord, grant: GrantRecord, amount: number, seconds = 60) {
  return store.decideWithGrant(
    pause.pauseId,
    { grantId: grant.grantId, amount, at: at(seconds) },
    decisionFixture(pause, "approved"),
    {
      delivery: deliveryFixture(pause.pauseId),
      audit: [auditFixture("grant.used", { pauseId: pause.pauseId, data: { grant_id: grant.grantId } })],
    },
  );
}

export function describeGrantConformance(harness: StoreHarness): void {
  describe("standing grants", () => {
    it("stores a grant with its audit event and reads it back", async () => {
      const grant = await createGrant(harness.store, { maxTotal: { field: "order.total", max: 99.5 } });
      expect(await harness.store.getGrant(grant.grantId)).toEqual(grant);
      expect(await harness.store.getGrant(newId("grant"))).toBeNull();
      expect(await harness.store.listAudit({ type: "grant.created", limit: 10 })).toHaveLength(1);
    });

    it("lists grants newest first, and only unrevoked, unexpired ones with activeAt", async () => {
      const old = await createGrant(harness.store, { createdAt: at(0), expiresAt: at(100) });
      const revoked = await createGrant(harness.store, { createdAt: at(1) });
      const live = await createGrant(harness.store, { createdAt: at(2), maxCount: null, maxTotal: null });
      await harness.store.revokeGrant(revoked.grantId, at(5), "bob@example.com", []);
      const all = await harness.store.listGrants({});
      expect(all.map((grant) => grant.grantId)).toEqual([live.grantId, revoked.grantId, old.grantId]);
      const active = await harness.store.listGrants({ activeAt: at(200) });
      expect(active).toEqual([live]);
    });

    it("revokes once: the first revocation is kept and audited", async () => {
      const grant = await createGrant(harness.store);
      const audit = [auditFixture("grant.revoked", { data: { grant_id: grant.grantId } })];
      const first = await harness.store.revokeGrant(grant.grantId, at(10), "alice@example.com", audit);
      expect(first).toEqual({
        revoked: true,
        grant: { ...grant, revokedAt: at(10), revokedBy: "alice@example.com" },
      });
      const second = await harness.store.revokeGrant(grant.grantId, at(20), "admin@example.com", audit);
      expect(second).toEqual({ revoked: false, grant: first!.grant });
      expect(await harness.store.listAudit({ type: "grant.revoked", limit: 10 })).toHaveLength(1);
      expect(await harness.store.revokeGrant(newId("grant"), at(10), "x", [])).toBeNull();
    });

    it("of a revocation and a use racing, the use commits only if it came first, and the chain says so", async () => {
      const { store } = harness;
      for (let round = 0; round < 30; round++) {
        const grant = await createGrant(store);
        const pause = await openPause(store, { agentId: "support-bot" });
        const [used, revoked] = await Promise.all([
          useGrant(store, pause, grant, 10),
          store.revokeGrant(grant.grantId, at(60), "alice@example.com", [
            auditFixture("grant.revoked", { data: { grant_id: grant.grantId } }),
          ]),
        ]);
        expect(revoked?.revoked).toBe(true);
        const events = await store.listAudit({ limit: 1000 });
        const seqOf = (type: string) =>
          events.find((event) => event.type === type && event.data.grant_id === grant.grantId)?.seq;
        if (used?.outcome === "decided") expect(seqOf("grant.used")).toBeLessThan(seqOf("grant.revoked")!);
        else expect(used).toMatchObject({ outcome: "grant_unavailable", pause: { status: "pending" } });
      }
    });

    it("decides a pause and consumes the grant in one step, with the delivery and audit", async () => {
      const grant = await createGrant(harness.store);
      const pause = await openPause(harness.store, { agentId: "support-bot" });
      const result = await useGrant(harness.store, pause, grant, 120.5);
      expect(result?.outcome).toBe("decided");
      expect(result?.pause.status).toBe("approved");
      expect(result?.grant).toEqual({ ...grant, usedCount: 1, usedTotal: 120.5 });
      expect(await harness.store.getGrant(grant.grantId)).toEqual(result?.grant);
      expect(await harness.store.listDeliveries(pause.pauseId)).toHaveLength(1);
      expect(await harness.store.listAudit({ type: "grant.used", limit: 10 })).toHaveLength(1);
    });

    it("writes nothing when the grant is revoked, expired, or would pass its count or total", async () => {
      const cases: Array<[Partial<GrantRecord>, number, number]> = [
        [{ revokedAt: at(1), revokedBy: "alice@example.com" }, 10, 60],
        [{ expiresAt: at(60) }, 10, 60],
        [{ maxCount: 1, usedCount: 1, usedTotal: 10 }, 10, 60],
        [{ maxTotal: { field: "amount", max: 100 }, usedTotal: 95 }, 10, 60],
      ];
      for (const [overrides, amount, seconds] of cases) {
        const grant = await createGrant(harness.store, overrides);
        const pause = await openPause(harness.store);
        const result = await useGrant(harness.store, pause, grant, amount, seconds);
        expect(result?.outcome).toBe("grant_unavailable");
        expect(result?.pause).toEqual(pause);
        expect(await harness.store.getGrant(grant.grantId)).toEqual(grant);
        expect(await harness.store.listDeliveries(pause.pauseId)).toEqual([]);
      }
      expect(await harness.store.listAudit({ type: "grant.used", limit: 10 })).toEqual([]);
    });

    it("uses nothing of the grant when the pause is no longer pending", async () => {
      const grant = await createGrant(harness.store);
      const pause = await openPause(harness.store);
      await harness.store.decide(pause.pauseId, decisionFixture(pause, "rejected"), { audit: [] });
      const result = await useGrant(harness.store, pause, grant, 10);
      expect(result?.outcome).toBe("not_pending");
      expect(result?.pause.status).toBe("rejected");
      expect(result?.grant).toEqual(grant);
      expect(await harness.store.getGrant(grant.grantId)).toEqual(grant);
      expect(await harness.store.listAudit({ type: "grant.used", limit: 10 })).toEqual([]);
    });

    it("returns null for a pause or grant that does not exist", async () => {
      const grant = await createGrant(harness.store);
      const pause = await openPause(harness.store);
      expect(await useGrant(harness.store, { ...pause, pauseId: newId("pause") }, grant, 1)).toBeNull();
      expect(await useGrant(harness.store, pause, { ...grant, grantId: newId("grant") }, 1)).toBeNull();
    });

    it("never lets 100 concurrent uses overrun the count", async () => {
      const grant = await createGrant(harness.store, { maxCount: 7, maxTotal: null });
      const pauses = await Promise.all(Array.from({ length: 100 }, () => openPause(harness.store)));
      const results = await Promise.all(pauses.map((pause) => useGrant(harness.store, pause, grant, 0)));
      expect(results.filter((result) => result?.outcome === "decided")).toHaveLength(7);
      expect(results.filter((result) => result?.outcome === "grant_unavailable")).toHaveLength(93);
      expect((await harness.store.getGrant(grant.grantId))?.usedCount).toBe(7);
      const approved = await harness.store.listPauses({ status: "approved", limit: 100 });
      expect(approved.items).toHaveLength(7);
      expect(await harness.store.listAudit({ type: "grant.used", limit: 1_000 })).toHaveLength(7);
    });

    it("never lets 100 concurrent uses overrun the total", async () => {
      const grant = await createGrant(harness.store, {
        maxCount: null,
        maxTotal: { field: "amount", max: 1000 },
      });
      const pauses = await Promise.all(Array.from({ length: 100 }, () => openPause(harness.store)));
      // 30 each: at most 33 fit under 1000.
      const results = await Promise.all(pauses.map((pause) => useGrant(harness.store, pause, grant, 30)));
      const decided = results.filter((result) => result?.outcome === "decided");
      expect(decided).toHaveLength(33);
      const stored = await harness.store.getGrant(grant.grantId);
      expect(stored?.usedCount).toBe(33);
      expect(stored?.usedTotal).toBe(990);
    });

    it("lets a second instance's uses share the same bounds", async () => {
      const open = harness.openAnother;
      if (!open) return;
      const other = await open();
      const grant = await createGrant(harness.store, { maxCount: 5, maxTotal: null });
      const pauses = await Promise.all(Array.from({ length: 20 }, () => openPause(harness.store)));
      const results = await Promise.all(
        pauses.map((pause, index) => useGrant(index % 2 === 0 ? harness.store : other, pause, grant, 0)),
      );
      expect(results.filter((result) => result?.outcome === "decided")).toHaveLength(5);
      expect((await harness.store.getGrant(grant.grantId))?.usedCount).toBe(5);
    });
  });
}
