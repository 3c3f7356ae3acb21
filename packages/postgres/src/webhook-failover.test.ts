import { verifyWebhook } from "@countersign/core";
import type { Store } from "@countersign/core/server";
import { afterAll, beforeAll, expect, it } from "vitest";
import { postgresStore } from "./postgres-store.ts";
import { createKeys, decide, type Keys, openPause } from "./test-support/http-helpers.ts";
import { type ServerProcess, startServerProcess } from "./test-support/server-process.ts";
import { eventually } from "./test-support/store-fixtures.ts";
import { createTestDatabase, type TestDatabase } from "./test-support/test-database.ts";
import { startWebhookReceiver, type WebhookReceiver } from "./test-support/webhook-receiver.ts";

let database: TestDatabase;
let store: Store;
let keys: Keys;
let receiver: WebhookReceiver;
const servers: ServerProcess[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  store = postgresStore(database.url);
  await store.migrate();
  keys = await createKeys(store);
  receiver = await startWebhookReceiver(503);
});

afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop("SIGKILL")));
  await receiver?.close();
  await store?.close();
  await database?.drop();
});

it("delivers a webhook left pending by an instance that was killed, from another instance", async () => {
  const a = await startServerProcess(database.url);
  servers.push(a);
  const opened = await openPause(a.url, keys.agent, { webhook_url: receiver.url });
  const pauseId = String(opened.body.pause_id);
  expect((await decide(a.url, keys.approver, pauseId, "approve")).status).toBe(200);

  // A's first attempt gets a 503 and is recorded; the retry is due a few seconds later.
  await eventually(async () => (await store.listDeliveries(pauseId))[0]?.attempts === 1);
  expect(receiver.received).toHaveLength(1);
  await a.stop("SIGKILL");
  receiver.answer(200);

  const b = await startServerProcess(database.url);
  servers.push(b);
  await eventually(async () => (await store.listDeliveries(pauseId))[0]?.status === "delivered", 15_000);

  expect(receiver.received).toHaveLength(2);
  const [first, second] = receiver.received;
  // The same message (same webhook-id), signed with the secret both instances share.
  expect(second!.headers["webhook-id"]).toBe(first!.headers["webhook-id"]);
  const secret = (await store.getSetting("webhook_secret"))!;
  const event = await verifyWebhook(second!.body, second!.headers as Record<string, string>, secret);
  expect(event).toMatchObject({
    type: "pause.decided",
    data: { pause: { pause_id: pauseId, status: "approved" } },
  });
  const attempts = await store.listDeliveryAttempts((await store.listDeliveries(pauseId))[0]!.deliveryId);
  expect(attempts.map((attempt) => attempt.status)).toEqual([503, 200]);
});
