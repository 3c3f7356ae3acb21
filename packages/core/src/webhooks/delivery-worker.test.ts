import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Webhook } from "standardwebhooks";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { WebhookEvent } from "../protocol/webhook-event.ts";
import type { DeliveryRecord, PauseRecord } from "../store/records.ts";
import { sqliteStore } from "../store/sqlite/index.ts";
import type { Store } from "../store/store.ts";
import { createDeliveryWorker, type DeliveryLogger, type DeliveryWorkerOptions } from "./delivery-worker.ts";
import { generateWebhookSecret, verifyWebhook } from "./standard-webhooks.ts";

interface Received {
  headers: Record<string, string>;
  body: string;
}

type Answer = (response: ServerResponse, index: number) => void;

const servers: Server[] = [];
let directory: string;
let store: Store;
let clock: Date;
const secret = generateWebhookSecret();
let pauseCounter = 0;

async function receiver(
  answer: Answer,
): Promise<{ url: string; received: Received[]; connections: () => number }> {
  const received: Received[] = [];
  let connections = 0;
  const server = createServer((request: IncomingMessage, response) => {
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => {
      body += chunk;
    });
    request.on("end", () => {
      received.push({ headers: request.headers as Record<string, string>, body });
      answer(response, received.length - 1);
    });
  });
  server.on("connection", () => {
    connections++;
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hooks`, received, connections: () => connections };
}

function eventFor(pause: PauseRecord, at: string): WebhookEvent {
  return {
    type: "pause.decided",
    timestamp: at,
    data: {
      pause: {
        object: "pause",
        pause_id: pause.pauseId,
        status: "rejected",
        agent_id: pause.agentId,
        action: pause.action,
        recipients: [],
        webhook_url: pause.webhookUrl,
        context: {},
        metadata: {},
        created_at: pause.createdAt,
        expires_at: pause.expiresAt,
        decision: {
          status: "rejected",
          decided_by: { kind: "human", id: "alice@acme.com", channel: "web" },
          reason: "Wrong payee",
          data: null,
          decided_at: at,
        },
        proof: null,
        claimed_at: null,
        links: { self: "/s", events: "/e", decision: "/d", inbox: "/i" },
      },
      proof: null,
    },
  };
}

/** Opens and rejects a pause with a webhook URL, which queues its delivery due now; returns the delivery id. */
async function queueDelivery(url: string, target: Store = store, attempts = 0): Promise<string> {
  pauseCounter++;
  const at = clock.toISOString();
  const pause: PauseRecord = {
    pauseId: `pau_worker${pauseCounter}`,
    status: "pending",
    agentId: "billing-agent",
    action: { type: "payment", data: { payee: "Acme Corp", amount: 12450 } },
    actionDigest: `sha256:${"0".repeat(64)}`,
    recipients: [],
    webhookUrl: url,
    context: {},
    metadata: {},
    ownerKeyId: null,
    requestedBy: null,
    routing: null,
    createdAt: at,
    expiresAt: new Date(clock.getTime() + 3_600_000).toISOString(),
    decision: null,
    proof: null,
    claimedAt: null,
  };
  await target.createPause(pause, { audit: [] });
  const event = eventFor(pause, at);
  const delivery: DeliveryRecord = {
    deliveryId: `msg_worker${pauseCounter}`,
    pauseId: pause.pauseId,
    endpointId: null,
    url,
    payload: JSON.stringify(event),
    status: "pending",
    attempts,
    nextAttemptAt: at,
    leaseUntil: null,
    lastStatus: null,
    lastError: null,
    createdAt: at,
  };
  const decided = await target.decide(
    pause.pauseId,
    { status: "rejected", decision: event.data.pause.decision, proof: null },
    { delivery, audit: [] },
  );
  expect(decided?.ok).toBe(true);
  return delivery.deliveryId;
}

function recordingLog(): DeliveryLogger & { lines: string[] } {
  const lines: string[] = [];
  const write = (message: string, fields?: Record<string, unknown>) => {
    lines.push(JSON.stringify({ message, ...fields }));
  };
  return { lines, info: write, error: write };
}

function worker(overrides: Partial<DeliveryWorkerOptions> = {}) {
  return createDeliveryWorker({
    store,
    secret,
    allowPrivateTargets: true,
    now: () => clock,
    random: () => 0.5,
    ...overrides,
  });
}

function advance(milliseconds: number): void {
  clock = new Date(clock.getTime() + milliseconds);
}

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), "countersign-webhooks-"));
  store = sqliteStore(join(directory, "countersign.db"));
  await store.migrate();
  clock = new Date("2030-01-01T00:00:00.000Z");
});

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  await store.close();
  await rm(directory, { recursive: true, force: true });
});

describe("createDeliveryWorker", () => {
  it("delivers on the first try with headers any Standard Webhooks library verifies, and audits it", async () => {
    // The real clock here: the standardwebhooks library checks timestamps against Date.now().
    clock = new Date();
    const target = await receiver((response) => response.writeHead(200).end("ok"));
    const deliveryId = await queueDelivery(target.url);
    const log = recordingLog();
    const sender = worker({ now: () => new Date(), log });

    expect(await sender.runOnce()).toBe(1);

    expect(target.received).toHaveLength(1);
    const [request] = target.received as [Received];
    expect(request.headers["webhook-id"]).toBe(deliveryId);
    expect(request.headers["content-type"]).toBe("application/json");
    expect(request.headers["user-agent"]).toBe("Countersign-Webhooks/1");
    const verified = new Webhook(secret).verify(request.body, request.headers) as WebhookEvent;
    expect(verified.data.pause.webhook_url).toBe(target.url);
    const event = await verifyWebhook(request.body, request.headers, secret);
    expect(event.type).toBe("pause.decided");

    const delivery = await store.getDelivery(deliveryId);
    expect(delivery).toMatchObject({ status: "delivered", attempts: 1, lastStatus: 200, lastError: null });
    expect(delivery?.nextAttemptAt).toBeNull();
    const audit = await store.listAudit({
      pauseId: delivery?.pauseId as string,
      type: "webhook.delivered",
      limit: 10,
    });
    expect(audit).toHaveLength(1);
    expect(audit[0]?.actor).toEqual({ kind: "system", id: "webhooks" });
    expect(audit[0]?.data).toMatchObject({
      delivery_id: deliveryId,
      attempt: 1,
      status: 200,
      error: null,
      url: target.url,
    });

    expect(log.lines.join("\n")).toContain(deliveryId);
    expect(log.lines.join("\n")).not.toContain(secret.slice("whsec_".length));
    expect(log.lines.join("\n")).not.toContain(request.headers["webhook-signature"]?.slice(3));
    expect(await sender.runOnce()).toBe(0);
    expect(target.received).toHaveLength(1);
  });

  it("retries a 500 on schedule and delivers on the second attempt with the same webhook-id", async () => {
    const target = await receiver((response, index) => response.writeHead(index === 0 ? 500 : 200).end());
    const deliveryId = await queueDelivery(target.url);
    const sender = worker();

    expect(await sender.runOnce()).toBe(1);
    const afterFirst = await store.getDelivery(deliveryId);
    expect(afterFirst).toMatchObject({ status: "pending", attempts: 1, lastStatus: 500 });
    // Second attempt 5 s later (jitter pinned to the middle).
    expect(afterFirst?.nextAttemptAt).toBe("2030-01-01T00:00:05.000Z");
    expect(await sender.runOnce()).toBe(0);

    advance(5_000);
    expect(await sender.runOnce()).toBe(1);
    expect(await store.getDelivery(deliveryId)).toMatchObject({
      status: "delivered",
      attempts: 2,
      lastStatus: 200,
    });

    const attempts = await store.listDeliveryAttempts(deliveryId);
    expect(attempts.map((attempt) => [attempt.attempt, attempt.status, attempt.at])).toEqual([
      [1, 500, "2030-01-01T00:00:00.000Z"],
      [2, 200, "2030-01-01T00:00:05.000Z"],
    ]);
    expect(target.received.map((request) => request.headers["webhook-id"])).toEqual([deliveryId, deliveryId]);
    expect(target.received.map((request) => request.headers["webhook-timestamp"])).toEqual([
      String(Date.parse("2030-01-01T00:00:00.000Z") / 1000),
      String(Date.parse("2030-01-01T00:00:05.000Z") / 1000),
    ]);
    for (const request of target.received) {
      await expect(
        verifyWebhook(request.body, request.headers, secret, { now: clock }),
      ).resolves.toBeTruthy();
    }

    const types = (await store.listAudit({ pauseId: afterFirst?.pauseId as string, limit: 10 }))
      .filter((event) => event.type.startsWith("webhook."))
      .map((event) => [event.type, event.data.attempt, event.data.status]);
    expect(types).toEqual([
      ["webhook.attempted", 1, 500],
      ["webhook.delivered", 2, 200],
    ]);
  });

  it("waits as long as Retry-After asks", async () => {
    const target = await receiver((response, index) =>
      index === 0 ? response.writeHead(503, { "retry-after": "3600" }).end() : response.writeHead(200).end(),
    );
    const deliveryId = await queueDelivery(target.url);
    const sender = worker();

    await sender.runOnce();
    expect((await store.getDelivery(deliveryId))?.nextAttemptAt).toBe("2030-01-01T01:00:00.000Z");
    advance(59 * 60_000);
    expect(await sender.runOnce()).toBe(0);
    expect(target.received).toHaveLength(1);
    advance(60_000);
    expect(await sender.runOnce()).toBe(1);
    expect(await store.getDelivery(deliveryId)).toMatchObject({ status: "delivered", attempts: 2 });
  });

  it("disables a delivery on 410 Gone and never tries again", async () => {
    const target = await receiver((response) => response.writeHead(410).end());
    const deliveryId = await queueDelivery(target.url);
    const sender = worker();

    await sender.runOnce();
    const delivery = await store.getDelivery(deliveryId);
    expect(delivery).toMatchObject({ status: "disabled", attempts: 1, lastStatus: 410, nextAttemptAt: null });
    advance(48 * 3_600_000);
    expect(await sender.runOnce()).toBe(0);
    expect(target.received).toHaveLength(1);
    const failed = await store.listAudit({
      pauseId: delivery?.pauseId as string,
      type: "webhook.failed",
      limit: 10,
    });
    expect(failed.map((event) => event.data.status)).toEqual([410]);
  });

  it("records a timeout when the receiver never answers, and retries", async () => {
    const target = await receiver(() => {});
    const deliveryId = await queueDelivery(target.url);
    await worker({ timeoutMs: 200 }).runOnce();

    expect(target.received).toHaveLength(1);
    const delivery = await store.getDelivery(deliveryId);
    expect(delivery).toMatchObject({ status: "pending", attempts: 1, lastStatus: null });
    expect(delivery?.lastError).toMatch(/timed out after 200 ms/i);
    const [attempt] = await store.listDeliveryAttempts(deliveryId);
    expect(attempt).toMatchObject({ attempt: 1, status: null });
    expect(attempt?.error).toMatch(/timed out/i);
  });

  it("refuses a loopback target unless private targets are allowed, sending nothing", async () => {
    const target = await receiver((response) => response.writeHead(200).end());
    const deliveryId = await queueDelivery(target.url);
    const localhost = await queueDelivery(target.url.replace("127.0.0.1", "localhost"));
    const sender = worker({ allowPrivateTargets: false });

    expect(await sender.runOnce()).toBe(2);
    expect(target.connections()).toBe(0);
    for (const id of [deliveryId, localhost]) {
      const delivery = await store.getDelivery(id);
      expect(delivery).toMatchObject({ status: "pending", lastStatus: null });
      expect(delivery?.lastError).toMatch(/loopback/);
    }
  });

  it("gives up as failed after the last scheduled attempt", async () => {
    const target = await receiver((response) => response.writeHead(500).end());
    const deliveryId = await queueDelivery(target.url, store, 7);
    await worker().runOnce();

    const delivery = await store.getDelivery(deliveryId);
    expect(delivery).toMatchObject({ status: "failed", attempts: 8, nextAttemptAt: null });
    const failed = await store.listAudit({
      pauseId: delivery?.pauseId as string,
      type: "webhook.failed",
      limit: 10,
    });
    expect(failed.map((event) => event.data.attempt)).toEqual([8]);
  });

  it("never lets two workers on one database send the same delivery at once", async () => {
    const inFlight = new Map<string, number>();
    let overlapping = 0;
    const target = await receiver((response, index) => {
      const id = target.received[index]?.headers["webhook-id"] as string;
      inFlight.set(id, (inFlight.get(id) ?? 0) + 1);
      if ((inFlight.get(id) ?? 0) > 1) overlapping++;
      setTimeout(() => {
        inFlight.set(id, (inFlight.get(id) ?? 1) - 1);
        response.writeHead(200).end();
      }, 50);
    });
    const ids: string[] = [];
    for (let index = 0; index < 6; index++) ids.push(await queueDelivery(target.url));
    // A second process on the same file.
    const otherStore = sqliteStore(join(directory, "countersign.db"));
    try {
      const first = worker({ batchSize: 4 });
      const second = worker({ store: otherStore, batchSize: 4 });
      const counts = await Promise.all([
        first.runOnce(),
        second.runOnce(),
        first.runOnce(),
        second.runOnce(),
      ]);
      expect(counts.reduce((sum, count) => sum + count, 0)).toBe(6);
      expect(await Promise.all([first.runOnce(), second.runOnce()])).toEqual([0, 0]);
    } finally {
      await otherStore.close();
    }
    expect(overlapping).toBe(0);
    expect(target.received.map((request) => request.headers["webhook-id"]).sort()).toEqual([...ids].sort());
    for (const id of ids)
      expect(await store.getDelivery(id)).toMatchObject({ status: "delivered", attempts: 1 });
  });

  it("sends a new delivery at once when woken, and stop() waits for the attempt in flight", async () => {
    let answered = false;
    const target = await receiver((response) => {
      setTimeout(() => {
        answered = true;
        response.writeHead(200).end();
      }, 100);
    });
    // An interval far longer than the test: only wake() can send it.
    const sender = worker({ intervalMs: 3_600_000 });
    sender.start();
    await expect.poll(() => target.received.length).toBe(0);
    const deliveryId = await queueDelivery(target.url);
    sender.wake();
    await expect.poll(() => target.received.length).toBe(1);
    expect(answered).toBe(false);
    await sender.stop();
    expect(answered).toBe(true);
    expect(await store.getDelivery(deliveryId)).toMatchObject({ status: "delivered" });
  });

  it("refuses a malformed secret and a lease shorter than the timeout at creation", () => {
    expect(() => worker({ secret: "whsec_%%%" })).toThrow(/whsec_/);
    expect(() => worker({ timeoutMs: 10_000, leaseMs: 5_000 })).toThrow(/leaseMs/);
  });
});
