import { createClient, type PauseRequest } from "@countersign/core";
import type { PolicyHook } from "@countersign/core/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PAYMENT } from "../inbox/test-support/inbox-harness.ts";
import { type ApiSession, type InboxServer, startInboxServer } from "../inbox/test-support/inbox-http.ts";
import {
  type LocalPushService,
  type LocalSubscription,
  startLocalPushService,
} from "./test-support/local-push-service.ts";

// End to end against a push service running here (web-push-testing): the server
// encrypts and signs each push exactly as for a browser's push service, and the
// service decrypts it only with the device's keys and checks the VAPID JWT.

/** payment → alice only; "on-call" → alice, then carol when it escalates after a minute; anything else: no policy. */
const policy: PolicyHook = {
  evaluate(request) {
    if (request.action.type === "payment")
      return {
        outcome: "require",
        rule: "alice-pays",
        version: "v1",
        routing: { approvers: ["alice@example.com"] },
      };
    if (request.action.type === "owner-routed")
      return {
        outcome: "require",
        rule: "owner-too",
        version: "v1",
        routing: { approvers: ["alice@example.com", "agent-owner@example.com"] },
      };
    if (request.action.type === "on-call")
      return {
        outcome: "require",
        rule: "escalates",
        version: "v1",
        routing: {
          approvers: ["alice@example.com"],
          escalation: { after_seconds: 60, to: ["carol@example.com"], recipients: [] },
        },
      };
    return null;
  },
};

/** The servers' clock: escalation is a minute away when a test moves it. */
let clock = Date.now();
let server: InboxServer;
let pushService: LocalPushService;
let agent: ReturnType<typeof createClient>;
let publicKey: string;
const sessions: Record<string, ApiSession> = {};

beforeAll(async () => {
  pushService = await startLocalPushService();
  const now = () => new Date(clock);
  server = await startInboxServer({ push: { allowLoopbackEndpoints: true }, now }, { policy, now });
  for (const identity of ["carol@example.com", "agent-owner@example.com"]) {
    const { key } = await server.t.server.issueApiKey({ role: "approver", identity, name: identity });
    sessions[identity] = await server.signIn(key);
  }
  sessions["alice@example.com"] = await server.signIn(server.t.approverKey);
  sessions["bob@example.com"] = await server.signIn(server.t.secondApproverKey);
  agent = createClient({ baseUrl: server.t.url, apiKey: server.t.agentKey });
  const key = await server.request("/inbox/api/push/key", { session: sessions["alice@example.com"] });
  publicKey = ((await key.json()) as { public_key: string }).public_key;
});
afterAll(async () => {
  await server?.close();
  await pushService?.close();
});

/** A new device of `identity`, subscribed through the inbox as the page does it. */
async function device(identity: string): Promise<LocalSubscription> {
  const subscription = await pushService.subscribe(publicKey);
  const response = await server.request("/inbox/api/push/subscriptions", {
    method: "POST",
    session: sessions[identity]!,
    body: JSON.stringify({ endpoint: subscription.endpoint, expirationTime: null, keys: subscription.keys }),
  });
  expect(response.status, await response.clone().text()).toBe(201);
  return subscription;
}

async function open(overrides: Partial<PauseRequest> = {}) {
  const pause = await agent.createPause({
    agent_id: "billing-agent",
    action: PAYMENT,
    recipients: [],
    expires_in: 900,
    ...overrides,
  });
  await server.t.server.idle();
  return pause;
}

async function received(subscription: LocalSubscription): Promise<Record<string, unknown>[]> {
  return (await pushService.messages(subscription)).map(
    (text) => JSON.parse(text) as Record<string, unknown>,
  );
}

describe("Web Push to routed approvers", () => {
  it("serves the VAPID public key (65 bytes) to a signed-in approver, and only to one", async () => {
    expect(Buffer.from(publicKey, "base64url")).toHaveLength(65);
    expect((await server.request("/inbox/api/push/key")).status).toBe(401);
  });

  it("pushes the title, risk and card link to the routed approver's device, and nothing else", async () => {
    const alicesPhone = await device("alice@example.com");
    const pause = await open();
    expect(await received(alicesPhone)).toEqual([
      {
        v: 1,
        type: "pause.routed",
        pause_id: pause.pause_id,
        title: PAYMENT.title,
        risk: "high",
        url: `${server.t.url}/inbox/pauses/${pause.pause_id}`,
      },
    ]);
    const notified = (await server.t.server.service.listEvents(pause.pause_id, "pause.notified")).map(
      (event) => event.data,
    );
    expect(notified).toEqual([
      { channel: "web_push", identity: "alice@example.com", devices: 1, delivered: 1, removed: 0 },
    ]);
  });

  it("does not push to an approver the pause is not routed to", async () => {
    const bobsPhone = await device("bob@example.com");
    const alicesLaptop = await device("alice@example.com");
    const pause = await open();
    expect(await received(bobsPhone)).toEqual([]);
    expect((await received(alicesLaptop)).map((message) => message.pause_id)).toEqual([pause.pause_id]);
  });

  it("never pushes to the person who requested it, even when policy routes it to them", async () => {
    const ownersPhone = await device("agent-owner@example.com");
    const alicesTablet = await device("alice@example.com");
    const pause = await open({ action: { ...PAYMENT, type: "owner-routed" } });
    expect(await received(ownersPhone)).toEqual([]);
    expect((await received(alicesTablet)).map((message) => message.pause_id)).toEqual([pause.pause_id]);
  });

  it("without a policy, pushes to the approvers the pause names as web recipients only", async () => {
    const carolsPhone = await device("carol@example.com");
    const bobsTablet = await device("bob@example.com");
    const pause = await open({
      action: { ...PAYMENT, type: "refund", risk: "low" },
      recipients: [{ channel: "web", target: "carol@example.com" }],
    });
    expect(await received(carolsPhone)).toMatchObject([{ pause_id: pause.pause_id, risk: "low" }]);
    expect(await received(bobsTablet)).toEqual([]);
  });

  it("stops pushing to a device its approver turned off", async () => {
    const kept = await device("alice@example.com");
    const turnedOff = await device("alice@example.com");
    const response = await server.request("/inbox/api/push/subscriptions", {
      method: "DELETE",
      session: sessions["alice@example.com"]!,
      body: JSON.stringify({ endpoint: turnedOff.endpoint }),
    });
    expect(await response.json()).toEqual({ ok: true, removed: true });
    const pause = await open();
    expect(await received(turnedOff)).toEqual([]);
    expect((await received(kept)).map((message) => message.pause_id)).toEqual([pause.pause_id]);
  });

  it("lets nobody turn off another approver's device", async () => {
    const alicesWatch = await device("alice@example.com");
    const response = await server.request("/inbox/api/push/subscriptions", {
      method: "DELETE",
      session: sessions["bob@example.com"]!,
      body: JSON.stringify({ endpoint: alicesWatch.endpoint }),
    });
    expect(await response.json()).toEqual({ ok: true, removed: false });
    const pause = await open();
    expect((await received(alicesWatch)).map((message) => message.pause_id)).toEqual([pause.pause_id]);
  });

  it("forgets a device the push service says is gone (410), and keeps pushing to the others", async () => {
    const gone = await device("alice@example.com");
    const live = await device("alice@example.com");
    await pushService.expire(gone);
    const pause = await open();
    const endpoints = (await server.t.store.listPushSubscriptions("alice@example.com")).map(
      (row) => row.endpoint,
    );
    expect(endpoints).not.toContain(gone.endpoint);
    expect(endpoints).toContain(live.endpoint);
    expect((await received(live)).map((message) => message.pause_id)).toEqual([pause.pause_id]);
    const [notified] = (await server.t.server.service.listEvents(pause.pause_id, "pause.notified")).map(
      (event) => event.data,
    );
    expect(notified).toMatchObject({ identity: "alice@example.com", removed: 1 });
  });

  it("on escalation, pushes to the people it adds, not again to the first approvers", async () => {
    const alicesPager = await device("alice@example.com");
    const carolsPager = await device("carol@example.com");
    const pause = await open({ action: { ...PAYMENT, type: "on-call", risk: "critical" } });
    expect((await received(alicesPager)).map((message) => message.pause_id)).toEqual([pause.pause_id]);
    expect(await received(carolsPager)).toEqual([]);
    clock += 61_000;
    await server.t.server.runBackgroundOnce();
    await server.t.server.idle();
    expect(await received(carolsPager)).toMatchObject([{ pause_id: pause.pause_id, risk: "critical" }]);
    expect(await received(alicesPager)).toHaveLength(1);
  });
});

describe("subscribing a device", () => {
  const subscribe = (body: unknown, session = sessions["alice@example.com"]) =>
    server.request("/inbox/api/push/subscriptions", {
      method: "POST",
      ...(session && { session }),
      body: JSON.stringify(body),
    });
  const keys = {
    p256dh: Buffer.alloc(65, 4).toString("base64url"),
    auth: Buffer.alloc(16, 1).toString("base64url"),
  };

  it("refuses endpoints a push service would not have, naming the field", async () => {
    for (const endpoint of [
      "http://push.example.com/send/1",
      "https://10.1.2.3/send/1",
      "https://[fd00::1]/send/1",
      "https://169.254.169.254/latest/meta-data",
      "https://user:secret@push.example.com/send/1",
      "ftp://push.example.com/send/1",
      "not a url",
    ]) {
      const response = await subscribe({ endpoint, keys });
      expect(response.status, endpoint).toBe(400);
      expect((await response.json()).detail, endpoint).toMatch(/^endpoint: /);
    }
  });

  it("refuses keys of the wrong size, naming the field", async () => {
    const response = await subscribe({
      endpoint: "https://push.example.com/send/1",
      keys: { ...keys, auth: Buffer.alloc(8).toString("base64url") },
    });
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toMatch(/keys\.auth/);
  });

  it("needs the session's CSRF token and the same origin", async () => {
    const session = sessions["alice@example.com"]!;
    const noToken = await server.request("/inbox/api/push/subscriptions", {
      method: "POST",
      session: { ...session, csrf: "forged" },
      body: JSON.stringify({ endpoint: "https://push.example.com/send/1", keys }),
    });
    expect(noToken.status).toBe(403);
    const elsewhere = await server.request("/inbox/api/push/subscriptions", {
      method: "POST",
      session,
      origin: "https://evil.example",
      body: JSON.stringify({ endpoint: "https://push.example.com/send/1", keys }),
    });
    expect(elsewhere.status).toBe(403);
    expect(await server.t.store.listPushSubscriptions()).not.toContainEqual(
      expect.objectContaining({ endpoint: "https://push.example.com/send/1" }),
    );
  });
});

describe("with Web Push turned off", () => {
  it("offers no key and takes no device (404), so the inbox shows no switch", async () => {
    const off = await startInboxServer({ push: false });
    try {
      const session = await off.signIn(off.t.approverKey);
      const key = await off.request("/inbox/api/push/key", { session });
      expect(key.status).toBe(404);
      expect((await key.json()).detail).toBe("Web Push is turned off on this server");
      const subscribe = await off.request("/inbox/api/push/subscriptions", {
        method: "POST",
        session,
        body: JSON.stringify({
          endpoint: "https://push.example.com/send/1",
          keys: {
            p256dh: Buffer.alloc(65, 4).toString("base64url"),
            auth: Buffer.alloc(16).toString("base64url"),
          },
        }),
      });
      expect(subscribe.status).toBe(404);
      expect(await off.t.store.getSetting("push.vapid")).toBeNull();
    } finally {
      await off.close();
    }
  });
});
