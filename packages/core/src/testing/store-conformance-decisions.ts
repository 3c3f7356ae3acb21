import { describe, expect, it, vi } from "vitest";
import {
  at,
  auditFixture,
  decisionFixture,
  deliveryFixture,
  openPause,
  type StoreHarness,
} from "./store-conformance-fixtures.ts";

const MISSING_PAUSE = "pau_00000000000000000000000000";

export function describeDecisionConformance(harness: StoreHarness): void {
  describe("decide", () => {
    it("records the decision and proof and appends the audit event", async () => {
      const pause = await openPause(harness.store);
      const update = decisionFixture(pause, "approved");
      const result = await harness.store.decide(pause.pauseId, update, {
        audit: [auditFixture("pause.decided", { pauseId: pause.pauseId, data: { decision: "approved" } })],
      });
      const expected = { ...pause, ...update };
      expect(result).toEqual({ ok: true, pause: expected });
      expect(await harness.store.getPause(pause.pauseId)).toEqual(expected);
      const events = await harness.store.listAudit({ pauseId: pause.pauseId, limit: 10 });
      expect(events.map((event) => event.type)).toEqual(["pause.opened", "pause.decided"]);
    });

    it("lets exactly one of 100 concurrent deciders win; the others see the winner's decision", async () => {
      const pause = await openPause(harness.store);
      const results = await Promise.all(
        Array.from({ length: 100 }, (_, index) =>
          harness.store.decide(
            pause.pauseId,
            decisionFixture(
              pause,
              index % 2 === 0 ? "approved" : "rejected",
              `approver-${index}@example.com`,
            ),
            { audit: [auditFixture("pause.decided", { pauseId: pause.pauseId })] },
          ),
        ),
      );
      const winners = results.filter((result) => result?.ok === true);
      expect(winners).toHaveLength(1);
      const winning = winners[0]!.pause;
      for (const result of results) expect(result?.pause).toEqual(winning);
      expect(await harness.store.getPause(pause.pauseId)).toEqual(winning);
      expect(await harness.store.listAudit({ type: "pause.decided", limit: 1_000 })).toHaveLength(1);
    });

    it("returns null for a pause that does not exist", async () => {
      const pause = await openPause(harness.store);
      expect(
        await harness.store.decide(MISSING_PAUSE, decisionFixture(pause, "approved"), { audit: [] }),
      ).toBeNull();
    });

    it("never changes a terminal state, nor writes its effects", async () => {
      const pause = await openPause(harness.store);
      await harness.store.decide(pause.pauseId, decisionFixture(pause, "rejected"), {
        audit: [auditFixture("pause.decided", { pauseId: pause.pauseId })],
      });
      const rejected = await harness.store.getPause(pause.pauseId);
      for (const status of ["approved", "expired", "cancelled", "rejected"] as const) {
        const late = await harness.store.decide(
          pause.pauseId,
          decisionFixture(pause, status, "bob@example.com"),
          {
            delivery: deliveryFixture(pause.pauseId),
            audit: [auditFixture("pause.decided", { pauseId: pause.pauseId })],
          },
        );
        expect(late).toEqual({ ok: false, pause: rejected });
      }
      expect(await harness.store.getPause(pause.pauseId)).toEqual(rejected);
      expect(await harness.store.listDeliveries(pause.pauseId)).toEqual([]);
      expect(await harness.store.listAudit({ type: "pause.decided", limit: 10 })).toHaveLength(1);
    });

    it("enqueues the webhook delivery with the decision, and only the winner's", async () => {
      const pause = await openPause(harness.store);
      const delivery = deliveryFixture(pause.pauseId);
      const first = await harness.store.decide(pause.pauseId, decisionFixture(pause, "approved"), {
        delivery,
        audit: [auditFixture("pause.decided", { pauseId: pause.pauseId })],
      });
      const second = await harness.store.decide(pause.pauseId, decisionFixture(pause, "rejected"), {
        delivery: deliveryFixture(pause.pauseId),
        audit: [],
      });
      expect([first?.ok, second?.ok]).toEqual([true, false]);
      expect(await harness.store.getDelivery(delivery.deliveryId)).toEqual(delivery);
      expect(await harness.store.listDeliveries(pause.pauseId)).toEqual([delivery]);
    });

    it("cancels with no proof", async () => {
      const pause = await openPause(harness.store);
      const result = await harness.store.decide(pause.pauseId, decisionFixture(pause, "cancelled"), {
        audit: [],
      });
      expect(result?.pause.status).toBe("cancelled");
      expect(result?.pause.proof).toBeNull();
    });
  });

  describe("claim", () => {
    async function approvedPause() {
      const pause = await openPause(harness.store);
      const result = await harness.store.decide(pause.pauseId, decisionFixture(pause, "approved"), {
        audit: [],
      });
      return result!.pause;
    }

    it("claims an approved pause once; a second claim fails and keeps the first time", async () => {
      const pause = await approvedPause();
      const claimed = await harness.store.claim(
        pause.pauseId,
        at(120),
        auditFixture("pause.claimed", { pauseId: pause.pauseId }),
      );
      expect(claimed).toEqual({ ok: true, pause: { ...pause, claimedAt: at(120) } });
      const again = await harness.store.claim(pause.pauseId, at(130), auditFixture("pause.claimed"));
      expect(again).toEqual({ ok: false, pause: { ...pause, claimedAt: at(120) } });
      expect(await harness.store.listAudit({ type: "pause.claimed", limit: 10 })).toHaveLength(1);
    });

    it("lets exactly one of 100 concurrent claims succeed", async () => {
      const pause = await approvedPause();
      const results = await Promise.all(
        Array.from({ length: 100 }, (_, index) =>
          harness.store.claim(
            pause.pauseId,
            at(100 + index),
            auditFixture("pause.claimed", { pauseId: pause.pauseId }),
          ),
        ),
      );
      const winners = results.filter((result) => result?.ok === true);
      expect(winners).toHaveLength(1);
      const claimedAt = winners[0]!.pause.claimedAt;
      expect(claimedAt).not.toBeNull();
      for (const result of results) expect(result?.pause.claimedAt).toBe(claimedAt);
      expect(await harness.store.listAudit({ type: "pause.claimed", limit: 1_000 })).toHaveLength(1);
    });

    it("refuses to claim a rejected or pending pause, and returns null for a missing one", async () => {
      const rejected = await openPause(harness.store);
      await harness.store.decide(rejected.pauseId, decisionFixture(rejected, "rejected"), { audit: [] });
      const pending = await openPause(harness.store);
      for (const pause of [rejected, pending]) {
        const result = await harness.store.claim(pause.pauseId, at(120), auditFixture("pause.claimed"));
        expect(result?.ok).toBe(false);
        expect(result?.pause.claimedAt).toBeNull();
      }
      expect(await harness.store.claim(MISSING_PAUSE, at(120), auditFixture("pause.claimed"))).toBeNull();
      expect(await harness.store.listAudit({ type: "pause.claimed", limit: 10 })).toEqual([]);
    });
  });

  describe("subscribe", () => {
    it("tells listeners after create, decide and claim, and stops after unsubscribe", async () => {
      const kept: string[] = [];
      const dropped: string[] = [];
      const unsubscribeKept = harness.store.subscribe((pauseId) => kept.push(pauseId));
      const unsubscribeDropped = harness.store.subscribe((pauseId) => dropped.push(pauseId));
      const unsubscribeThrowing = harness.store.subscribe(() => {
        throw new Error("a broken listener must not fail the write");
      });
      const count = (seen: string[], pauseId: string) => seen.filter((id) => id === pauseId).length;

      const pause = await openPause(harness.store);
      await vi.waitFor(() => expect(count(kept, pause.pauseId)).toBeGreaterThanOrEqual(1));
      await harness.store.decide(pause.pauseId, decisionFixture(pause, "approved"), { audit: [] });
      await vi.waitFor(() => expect(count(kept, pause.pauseId)).toBeGreaterThanOrEqual(2));
      await harness.store.claim(pause.pauseId, at(120), auditFixture("pause.claimed"));
      await vi.waitFor(() => expect(count(kept, pause.pauseId)).toBeGreaterThanOrEqual(3));
      expect(count(dropped, pause.pauseId)).toBe(count(kept, pause.pauseId));

      unsubscribeDropped();
      const next = await openPause(harness.store);
      // Both listeners hear the same notification, so once the kept one has it the dropped one would too.
      await vi.waitFor(() => expect(kept).toContain(next.pauseId));
      expect(dropped).not.toContain(next.pauseId);
      unsubscribeKept();
      unsubscribeThrowing();
    });
  });
}
