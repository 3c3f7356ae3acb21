import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type LocalPushService,
  type LocalSubscription,
  startLocalPushService,
} from "../../push/test-support/local-push-service.ts";
import { loadVapidKeys } from "../../push/vapid-keys.ts";
import { type InboxHarness, PAYMENT, startInboxHarness } from "../test-support/inbox-harness.ts";

// The installable inbox in Chromium: its manifest, its service worker, and
// "Notify me on this device". Chromium's own push service is on the internet,
// so the page's PushManager hands out a subscription of the local push service
// instead; everything else (permission, worker, the server, encryption, the
// push service, the notification the worker shows) is the real thing.

let harness: InboxHarness;
let pushService: LocalPushService;
let publicKey: string;
beforeAll(async () => {
  pushService = await startLocalPushService();
  harness = await startInboxHarness({ push: { allowLoopbackEndpoints: true } });
  publicKey = (await loadVapidKeys(harness.t.store)).publicKey;
});
afterAll(async () => {
  await harness?.close();
  await pushService?.close();
});

/** The page's push manager subscribes at the local push service (and records the key it was given). */
async function withLocalPushService(page: Page, subscription: LocalSubscription): Promise<void> {
  await page.addInitScript((local) => {
    let current: { endpoint: string } | null = null;
    PushManager.prototype.subscribe = async (options?: PushSubscriptionOptionsInit) => {
      const key = new Uint8Array(options?.applicationServerKey as ArrayBuffer);
      (window as unknown as { subscribedWith: string }).subscribedWith = btoa(String.fromCharCode(...key))
        .replace(/\+/g, "-")
        .replace(/\//g, "_")
        .replace(/=+$/, "");
      current = {
        endpoint: local.endpoint,
        toJSON: () => ({ endpoint: local.endpoint, expirationTime: null, keys: local.keys }),
        unsubscribe: async () => {
          current = null;
          return true;
        },
      } as unknown as PushSubscription;
      return current as unknown as PushSubscription;
    };
    PushManager.prototype.getSubscription = async () => current as unknown as PushSubscription | null;
  }, subscription);
  await page.reload();
  await page.getByRole("heading", { level: 1, name: /Waiting for you/ }).waitFor();
}

describe("the inbox on a phone", () => {
  it("is installable: Chromium reads its manifest and finds nothing missing", async () => {
    const page = await harness.newPage();
    const cdp = await page.context().newCDPSession(page);
    const manifest = (await cdp.send("Page.getAppManifest")) as { url: string; errors: unknown[] };
    expect(manifest.url).toBe(`${harness.t.url}/inbox/manifest.webmanifest`);
    expect(manifest.errors).toEqual([]);
    const installability = (await cdp.send("Page.getInstallabilityErrors")) as {
      installabilityErrors: { errorId: string }[];
    };
    // A test's browser context is off the record, which Chromium never installs from; nothing else may be missing.
    expect(installability.installabilityErrors.map((error) => error.errorId)).toEqual(["in-incognito"]);
    expect(harness.pageProblems).toEqual([]);
  });

  it("notifies the approver on this device once they opt in, and stops when they opt out", async () => {
    const page = await harness.newPage();
    await page.context().grantPermissions(["notifications"], { origin: harness.t.url });
    const subscription = await pushService.subscribe(publicKey);
    await withLocalPushService(page, subscription);

    await page.getByRole("button", { name: "Notify me on this device" }).click();
    await page.getByRole("button", { name: "Stop notifications on this device" }).waitFor();
    await page.getByText("This device gets a notification when something waits for your decision.").waitFor();

    // The worker is registered for the inbox's pages, and the page subscribed with the server's key.
    const registration = await page.evaluate(async () => {
      const found = await navigator.serviceWorker.getRegistration("/inbox/");
      return { scope: found?.scope, script: found?.active?.scriptURL };
    });
    expect(registration).toEqual({
      scope: `${harness.t.url}/inbox/`,
      script: `${harness.t.url}/inbox/sw.js`,
    });
    expect(await page.evaluate(() => (window as unknown as { subscribedWith: string }).subscribedWith)).toBe(
      publicKey,
    );
    expect(await harness.t.store.listPushSubscriptions("alice@example.com")).toMatchObject([
      { endpoint: subscription.endpoint, p256dh: subscription.keys.p256dh },
    ]);

    // A pause routed to alice reaches the push service, encrypted to this device's keys.
    const pause = await harness.openPause({ recipients: [{ channel: "web", target: "alice@example.com" }] });
    await harness.t.server.idle();
    const [message] = await pushService.messages(subscription);
    expect(JSON.parse(message!)).toMatchObject({
      pause_id: pause.pause_id,
      title: PAYMENT.title,
      risk: "high",
      url: `${harness.t.url}/inbox/pauses/${pause.pause_id}`,
    });

    // The worker shows it: the title, the risk, and the card as the place a click opens.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("ServiceWorker.enable");
    const registrationId = await new Promise<string>((resolve) => {
      cdp.on("ServiceWorker.workerRegistrationUpdated", ({ registrations }) => {
        const ours = registrations.find((entry: { scopeURL: string }) => entry.scopeURL.endsWith("/inbox/"));
        if (ours) resolve(ours.registrationId);
      });
    });
    await cdp.send("ServiceWorker.deliverPushMessage", {
      origin: harness.t.url,
      registrationId,
      data: message!,
    });
    const shown = await page.waitForFunction(async () => {
      const found = await navigator.serviceWorker.getRegistration("/inbox/");
      const [notification] = (await found?.getNotifications()) ?? [];
      return notification
        ? { title: notification.title, body: notification.body, data: notification.data }
        : null;
    });
    expect(await shown.jsonValue()).toEqual({
      title: PAYMENT.title,
      body: "High risk · waiting for your decision",
      data: { url: `${harness.t.url}/inbox/pauses/${pause.pause_id}` },
    });

    await page.getByRole("button", { name: "Stop notifications on this device" }).click();
    await page.getByRole("button", { name: "Notify me on this device" }).waitFor();
    expect(await harness.t.store.listPushSubscriptions("alice@example.com")).toEqual([]);
    expect(harness.pageProblems).toEqual([]);
  });
});
