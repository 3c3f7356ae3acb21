import { describe, expect, it } from "vitest";
import type { PushSubscriptionRecord } from "../store/records.ts";
import { at, type StoreHarness } from "./store-conformance-fixtures.ts";

/** Web Push subscriptions: one per endpoint, found by identity without letter case, removed once. */
export function describePushSubscriptionConformance(harness: StoreHarness): void {
  const phone: PushSubscriptionRecord = {
    endpoint: "https://push.example.net/send/phone",
    identity: "Alice@Example.com",
    p256dh: "BPhoneKey",
    auth: "phone-auth",
    createdAt: at(0),
  };
  const laptop: PushSubscriptionRecord = {
    ...phone,
    endpoint: "https://push.example.net/send/laptop",
    p256dh: "BLaptopKey",
    createdAt: at(10),
  };
  const bobs: PushSubscriptionRecord = {
    ...phone,
    endpoint: "https://push.example.net/send/bob",
    identity: "bob@example.com",
    createdAt: at(5),
  };

  describe("push subscriptions", () => {
    it("lists an approver's devices without letter case, oldest first, and everyone's without an identity", async () => {
      await harness.store.putPushSubscription(laptop);
      await harness.store.putPushSubscription(phone);
      await harness.store.putPushSubscription(bobs);
      expect(await harness.store.listPushSubscriptions(" alice@EXAMPLE.com ")).toEqual([phone, laptop]);
      expect(await harness.store.listPushSubscriptions("bob@example.com")).toEqual([bobs]);
      expect(await harness.store.listPushSubscriptions("carol@example.com")).toEqual([]);
      expect(await harness.store.listPushSubscriptions()).toEqual([phone, bobs, laptop]);
    });

    it("keeps one subscription per endpoint: subscribing again replaces it, also for another approver", async () => {
      await harness.store.putPushSubscription(phone);
      const renewed = { ...phone, p256dh: "BRenewedKey", auth: "renewed", createdAt: at(20) };
      await harness.store.putPushSubscription(renewed);
      expect(await harness.store.listPushSubscriptions()).toEqual([renewed]);
      const handedOver = { ...renewed, identity: "bob@example.com", createdAt: at(30) };
      await harness.store.putPushSubscription(handedOver);
      expect(await harness.store.listPushSubscriptions("alice@example.com")).toEqual([]);
      expect(await harness.store.listPushSubscriptions("bob@example.com")).toEqual([handedOver]);
    });

    it("removes a subscription once, and only its owner's when an identity is given", async () => {
      await harness.store.putPushSubscription(phone);
      await harness.store.putPushSubscription(bobs);
      expect(await harness.store.deletePushSubscription(phone.endpoint, "bob@example.com")).toBe(false);
      expect(await harness.store.deletePushSubscription(phone.endpoint, "ALICE@example.com")).toBe(true);
      expect(await harness.store.deletePushSubscription(phone.endpoint, "alice@example.com")).toBe(false);
      expect(await harness.store.deletePushSubscription(bobs.endpoint)).toBe(true);
      expect(await harness.store.deletePushSubscription(bobs.endpoint)).toBe(false);
      expect(await harness.store.listPushSubscriptions()).toEqual([]);
    });
  });
}
