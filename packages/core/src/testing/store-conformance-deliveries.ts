import { describe, expect, it } from "vitest";
import type { DeliveryRecord } from "../store/records.ts";
import { at, auditFixture, enqueueDelivery, type StoreHarness } from "./store-conformance-fixtures.ts";

const LEASE_MS = 30_000;
const ids = (deliveries: DeliveryRecord[]) => deliveries.map((delivery) => delivery.deliveryId).sort();
const plusMs = (timestamp: string, milliseconds: number) =>
  new Date(Date.parse(timestamp) + milliseconds).toISOString();

export function describeDeliveryConformance(harness: StoreHarness): void {
  describe("deliveries", () => {
    it("leases only pending, due, unleased deliveries and marks the lease", async () => {
      const due = await enqueueDelivery(harness.store, { nextAttemptAt: at(10) });
      await enqueueDelivery(harness.store, { nextAttemptAt: at(100) });
      await enqueueDelivery(harness.store, { status: "failed", nextAttemptAt: at(5) });
      await enqueueDelivery(harness.store, { status: "disabled", nextAttemptAt: at(5) });
      await enqueueDelivery(harness.store, { nextAttemptAt: null });

      const leased = await harness.store.leaseDueDeliveries(at(20), 10, LEASE_MS);
      expect(leased).toEqual([{ ...due, leaseUntil: plusMs(at(20), LEASE_MS) }]);
      expect(await harness.store.getDelivery(due.deliveryId)).toEqual(leased[0]);
      expect(await harness.store.leaseDueDeliveries(at(21), 10, LEASE_MS)).toEqual([]);
    });

    it("counts the pending deliveries, leased or not, due or backing off, until each is settled", async () => {
      expect(await harness.store.countPendingDeliveries()).toBe(0);
      const first = await enqueueDelivery(harness.store, { nextAttemptAt: at(10) });
      const second = await enqueueDelivery(harness.store, { nextAttemptAt: at(100) });
      await enqueueDelivery(harness.store, { status: "delivered", nextAttemptAt: null });
      await enqueueDelivery(harness.store, { status: "failed", nextAttemptAt: null });
      await enqueueDelivery(harness.store, { status: "disabled", nextAttemptAt: null });
      expect(await harness.store.countPendingDeliveries()).toBe(2);

      await harness.store.leaseDueDeliveries(at(20), 10, LEASE_MS);
      expect(await harness.store.countPendingDeliveries()).toBe(2);
      const attempt = { attempt: 1, at: at(21), status: 503, error: "HTTP 503", durationMs: 5 };
      const audit = auditFixture("webhook.attempted", { pauseId: first.pauseId });
      await harness.store.recordDeliveryAttempt(
        { deliveryId: first.deliveryId, ...attempt },
        { status: "pending", nextAttemptAt: at(80) },
        audit,
      );
      expect(await harness.store.countPendingDeliveries()).toBe(2);
      await harness.store.recordDeliveryAttempt(
        { deliveryId: first.deliveryId, ...attempt, attempt: 2, status: 204, error: null },
        { status: "delivered", nextAttemptAt: null },
        audit,
      );
      expect(await harness.store.countPendingDeliveries()).toBe(1);
      await harness.store.recordDeliveryAttempt(
        { deliveryId: second.deliveryId, ...attempt },
        { status: "failed", nextAttemptAt: null },
        audit,
      );
      expect(await harness.store.countPendingDeliveries()).toBe(0);
      await harness.store.redeliver(second.deliveryId, at(200), audit);
      expect(await harness.store.countPendingDeliveries()).toBe(1);
    });

    it("makes a delivery leasable again once its lease has run out", async () => {
      const due = await enqueueDelivery(harness.store, { nextAttemptAt: at(10) });
      await harness.store.leaseDueDeliveries(at(20), 10, LEASE_MS);
      expect(await harness.store.leaseDueDeliveries(at(49), 10, LEASE_MS)).toEqual([]);
      const again = await harness.store.leaseDueDeliveries(at(51), 10, LEASE_MS);
      expect(again).toEqual([{ ...due, leaseUntil: plusMs(at(51), LEASE_MS) }]);
    });

    it("leases at most `limit` deliveries", async () => {
      for (let index = 0; index < 3; index++)
        await enqueueDelivery(harness.store, { nextAttemptAt: at(index) });
      expect(await harness.store.leaseDueDeliveries(at(20), 2, LEASE_MS)).toHaveLength(2);
      expect(await harness.store.leaseDueDeliveries(at(20), 2, LEASE_MS)).toHaveLength(1);
    });

    it("never gives the same delivery to two concurrent lease calls", async () => {
      const all: DeliveryRecord[] = [];
      for (let index = 0; index < 10; index++) {
        all.push(await enqueueDelivery(harness.store, { nextAttemptAt: at(index) }));
      }
      const [first, second] = await Promise.all([
        harness.store.leaseDueDeliveries(at(20), 6, LEASE_MS),
        harness.store.leaseDueDeliveries(at(20), 6, LEASE_MS),
      ]);
      expect(first!.length).toBeLessThanOrEqual(6);
      expect(second!.length).toBeLessThanOrEqual(6);
      const leased = [...ids(first!), ...ids(second!)].sort();
      expect(leased).toEqual(ids(all));
    });

    it("records attempts: count, status, next time, last result, released lease and an audit event", async () => {
      const delivery = await enqueueDelivery(harness.store, { nextAttemptAt: at(10) });
      await harness.store.leaseDueDeliveries(at(20), 10, LEASE_MS);
      const failed = {
        deliveryId: delivery.deliveryId,
        attempt: 1,
        at: at(21),
        status: 503,
        error: "HTTP 503",
        durationMs: 42,
      };
      await harness.store.recordDeliveryAttempt(
        failed,
        { status: "pending", nextAttemptAt: at(80) },
        auditFixture("webhook.attempted", { pauseId: delivery.pauseId, data: { status: 503 } }),
      );
      const retrying = {
        ...delivery,
        attempts: 1,
        nextAttemptAt: at(80),
        lastStatus: 503,
        lastError: "HTTP 503",
      };
      expect(await harness.store.getDelivery(delivery.deliveryId)).toEqual(retrying);
      expect(await harness.store.leaseDueDeliveries(at(79), 10, LEASE_MS)).toEqual([]);
      expect(ids(await harness.store.leaseDueDeliveries(at(80), 10, LEASE_MS))).toEqual([
        delivery.deliveryId,
      ]);

      const delivered = { ...failed, attempt: 2, at: at(81), status: 200, error: null, durationMs: 7 };
      await harness.store.recordDeliveryAttempt(
        delivered,
        { status: "delivered", nextAttemptAt: null },
        auditFixture("webhook.delivered", { pauseId: delivery.pauseId }),
      );
      expect(await harness.store.getDelivery(delivery.deliveryId)).toEqual({
        ...delivery,
        status: "delivered",
        attempts: 2,
        nextAttemptAt: null,
        lastStatus: 200,
        lastError: null,
      });
      expect(await harness.store.listDeliveryAttempts(delivery.deliveryId)).toEqual([failed, delivered]);
      expect(await harness.store.leaseDueDeliveries(at(500), 10, LEASE_MS)).toEqual([]);
      const events = await harness.store.listAudit({ pauseId: delivery.pauseId, limit: 10 });
      expect(events.map((event) => event.type).slice(-2)).toEqual(["webhook.attempted", "webhook.delivered"]);
    });

    it("records an attempt that got no response", async () => {
      const delivery = await enqueueDelivery(harness.store);
      const attempt = {
        deliveryId: delivery.deliveryId,
        attempt: 1,
        at: at(61),
        status: null,
        error: "connect ECONNREFUSED",
        durationMs: 3,
      };
      await harness.store.recordDeliveryAttempt(
        attempt,
        { status: "failed", nextAttemptAt: null },
        auditFixture("webhook.failed"),
      );
      expect(await harness.store.listDeliveryAttempts(delivery.deliveryId)).toEqual([attempt]);
      expect(await harness.store.getDelivery(delivery.deliveryId)).toMatchObject({
        status: "failed",
        lastStatus: null,
        lastError: "connect ECONNREFUSED",
      });
    });

    it("redelivers a delivered message: pending and due again, with an audit event", async () => {
      const delivery = await enqueueDelivery(harness.store, { nextAttemptAt: at(10) });
      await harness.store.recordDeliveryAttempt(
        { deliveryId: delivery.deliveryId, attempt: 1, at: at(11), status: 200, error: null, durationMs: 5 },
        { status: "delivered", nextAttemptAt: null },
        auditFixture("webhook.delivered"),
      );
      const redelivered = await harness.store.redeliver(
        delivery.deliveryId,
        at(500),
        auditFixture("webhook.redelivered", {
          pauseId: delivery.pauseId,
          actor: { kind: "admin", id: "root" },
        }),
      );
      expect(redelivered).toMatchObject({ status: "pending", nextAttemptAt: at(500), attempts: 1 });
      expect(ids(await harness.store.leaseDueDeliveries(at(500), 10, LEASE_MS))).toEqual([
        delivery.deliveryId,
      ]);
      expect(await harness.store.listAudit({ type: "webhook.redelivered", limit: 10 })).toHaveLength(1);
      expect(
        await harness.store.redeliver(
          "msg_00000000000000000000000000",
          at(500),
          auditFixture("webhook.redelivered"),
        ),
      ).toBeNull();
    });

    it("lists a pause's deliveries and answers null for an unknown one", async () => {
      const mine = await enqueueDelivery(harness.store);
      await enqueueDelivery(harness.store);
      expect(await harness.store.listDeliveries(mine.pauseId)).toEqual([mine]);
      expect(await harness.store.getDelivery("msg_00000000000000000000000000")).toBeNull();
      expect(await harness.store.listDeliveryAttempts(mine.deliveryId)).toEqual([]);
    });
  });
}
