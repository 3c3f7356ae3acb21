import { describe, expect, it } from "vitest";
import { newId } from "../protocol/ids.ts";
import type { WebhookEndpointRecord } from "../store/records.ts";
import {
  at,
  auditFixture,
  decisionFixture,
  deliveryFixture,
  openPause,
  pauseFixture,
  type StoreHarness,
} from "./store-conformance-fixtures.ts";
import { executionFixture } from "./store-conformance-receipts.ts";

export function endpointFixture(overrides: Partial<WebhookEndpointRecord> = {}): WebhookEndpointRecord {
  return {
    endpointId: newId("webhookEndpoint"),
    url: "https://ops.example/countersign",
    events: ["pause.decided", "pause.expired"],
    filter: { agentId: "billing-*", actionType: null },
    description: "ops tickets ✓",
    status: "enabled",
    secret: "whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTEyMzQ=",
    previousSecret: null,
    previousSecretExpiresAt: null,
    createdBy: "key_admin",
    createdAt: at(0),
    updatedAt: at(0),
    ...overrides,
  };
}

const audited = (type: Parameters<typeof auditFixture>[0], endpointId: string) => [
  auditFixture(type, { actor: { kind: "admin", id: "key_admin" }, data: { endpoint_id: endpointId } }),
];

export function describeWebhookEndpointConformance(harness: StoreHarness): void {
  describe("webhook endpoints", () => {
    it("stores an endpoint as given, lists oldest first, and lists only enabled ones on request", async () => {
      const first = endpointFixture();
      const second = endpointFixture({
        createdAt: at(5),
        updatedAt: at(5),
        status: "disabled",
        filter: null,
      });
      await harness.store.createWebhookEndpoint(
        second,
        audited("webhook_endpoint.created", second.endpointId),
      );
      await harness.store.createWebhookEndpoint(first, audited("webhook_endpoint.created", first.endpointId));
      expect(await harness.store.getWebhookEndpoint(first.endpointId)).toEqual(first);
      expect(await harness.store.listWebhookEndpoints()).toEqual([first, second]);
      expect(await harness.store.listWebhookEndpoints({ enabledOnly: true })).toEqual([first]);
      expect(await harness.store.getWebhookEndpoint("whe_missing")).toBeNull();
      const events = await harness.store.listAudit({ limit: 10 });
      expect(events.map((event) => event.type)).toEqual([
        "webhook_endpoint.created",
        "webhook_endpoint.created",
      ]);
    });

    it("updates only what is given, with its audit event; null for a missing endpoint", async () => {
      const endpoint = endpointFixture();
      await harness.store.createWebhookEndpoint(endpoint, []);
      const rotated = await harness.store.updateWebhookEndpoint(
        endpoint.endpointId,
        {
          secret: "whsec_bmV3LW5ldy1uZXctbmV3LW5ldy1uZXctbmV3LW5ldy0xMjM=",
          previousSecret: endpoint.secret,
          previousSecretExpiresAt: at(86_400),
          status: "disabled",
          updatedAt: at(30),
        },
        audited("webhook_endpoint.secret_rotated", endpoint.endpointId),
      );
      const expected = {
        ...endpoint,
        secret: "whsec_bmV3LW5ldy1uZXctbmV3LW5ldy1uZXctbmV3LW5ldy0xMjM=",
        previousSecret: endpoint.secret,
        previousSecretExpiresAt: at(86_400),
        status: "disabled",
        updatedAt: at(30),
      };
      expect(rotated).toEqual(expected);
      expect(await harness.store.getWebhookEndpoint(endpoint.endpointId)).toEqual(expected);
      expect(
        await harness.store.updateWebhookEndpoint(
          "whe_missing",
          { updatedAt: at(31) },
          audited("webhook_endpoint.updated", "x"),
        ),
      ).toBeNull();
      const types = (await harness.store.listAudit({ limit: 10 })).map((event) => event.type);
      expect(types).toEqual(["webhook_endpoint.secret_rotated"]);
    });

    it("deletes an endpoint once, with its audit event", async () => {
      const endpoint = endpointFixture();
      await harness.store.createWebhookEndpoint(endpoint, []);
      expect(
        await harness.store.deleteWebhookEndpoint(
          endpoint.endpointId,
          audited("webhook_endpoint.deleted", endpoint.endpointId),
        ),
      ).toBe(true);
      expect(await harness.store.getWebhookEndpoint(endpoint.endpointId)).toBeNull();
      expect(await harness.store.deleteWebhookEndpoint(endpoint.endpointId, [])).toBe(false);
      expect((await harness.store.listAudit({ limit: 10 })).map((event) => event.type)).toEqual([
        "webhook_endpoint.deleted",
      ]);
    });

    it("enqueues endpoint deliveries with the pause that opens, once per idempotent create", async () => {
      const pause = pauseFixture();
      const idempotency = { scope: "key_agent", key: "open-1", requestHash: "h1" };
      const deliveries = [
        deliveryFixture(pause.pauseId, { endpointId: "whe_a" }),
        deliveryFixture(pause.pauseId, { endpointId: "whe_b" }),
      ];
      const created = await harness.store.createPause(pause, { idempotency, audit: [], deliveries });
      expect(created.created).toBe(true);
      const replayed = await harness.store.createPause(pauseFixture(), {
        idempotency,
        audit: [],
        deliveries: [deliveryFixture(pause.pauseId, { endpointId: "whe_c" })],
      });
      expect(replayed.created).toBe(false);
      const stored = await harness.store.listDeliveries(pause.pauseId);
      expect(stored.map((delivery) => delivery.endpointId).sort()).toEqual(["whe_a", "whe_b"]);
      expect(stored.find((delivery) => delivery.endpointId === "whe_a")).toEqual(deliveries[0]);
    });

    it("enqueues the pause's own delivery and endpoint deliveries with a decision, and none for a loser", async () => {
      const pause = await openPause(harness.store);
      const own = deliveryFixture(pause.pauseId);
      const toEndpoint = deliveryFixture(pause.pauseId, { endpointId: "whe_a" });
      const won = await harness.store.decide(pause.pauseId, decisionFixture(pause, "rejected"), {
        delivery: own,
        deliveries: [toEndpoint],
        audit: [],
      });
      expect(won?.ok).toBe(true);
      const lost = await harness.store.decide(pause.pauseId, decisionFixture(pause, "approved"), {
        deliveries: [deliveryFixture(pause.pauseId, { endpointId: "whe_b" })],
        audit: [],
      });
      expect(lost?.ok).toBe(false);
      const stored = await harness.store.listDeliveries(pause.pauseId);
      expect(stored.map((delivery) => delivery.deliveryId).sort()).toEqual(
        [own.deliveryId, toEndpoint.deliveryId].sort(),
      );
    });

    it("enqueues endpoint deliveries with an execution receipt", async () => {
      const pause = await openPause(harness.store);
      const approved = await harness.store.decide(pause.pauseId, decisionFixture(pause, "approved"), {
        audit: [],
      });
      await harness.store.claim(pause.pauseId, at(120), auditFixture("pause.claimed"), "key_executor");
      const toEndpoint = deliveryFixture(pause.pauseId, { endpointId: "whe_a" });
      const recorded = await harness.store.recordExecution(pause.pauseId, executionFixture(approved!.pause), {
        deliveries: [toEndpoint],
        audit: [],
      });
      expect(recorded?.ok).toBe(true);
      expect(await harness.store.listDeliveries(pause.pauseId)).toEqual([toEndpoint]);
    });
  });
}
