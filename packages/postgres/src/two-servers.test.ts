import type { Store } from "@countersign/core/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresStore } from "./postgres-store.ts";
import { call, createKeys, decide, type Keys, openPause } from "./test-support/http-helpers.ts";
import { type ServerProcess, startServerProcess } from "./test-support/server-process.ts";
import { eventually } from "./test-support/store-fixtures.ts";
import { createTestDatabase, type TestDatabase } from "./test-support/test-database.ts";
import { startWebhookReceiver, type WebhookReceiver } from "./test-support/webhook-receiver.ts";

// Two real server processes on one database: any instance accepts any request.

let database: TestDatabase;
let a: ServerProcess;
let b: ServerProcess;
let keys: Keys;
let store: Store;
let receiver: WebhookReceiver;

beforeAll(async () => {
  database = await createTestDatabase();
  store = postgresStore(database.url);
  await store.migrate();
  keys = await createKeys(store);
  receiver = await startWebhookReceiver(200);
  [a, b] = await Promise.all([startServerProcess(database.url), startServerProcess(database.url)]);
});

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await receiver?.close();
  await store?.close();
  await database?.drop();
});

/** Reads an SSE response until the `decided` event; returns every event name seen. */
async function readEvents(
  response: Response,
): Promise<{ names: string[]; decided: Record<string, unknown> }> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  const names: string[] = [];
  for (;;) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`stream ended before "decided": ${names.join(", ")}`);
    buffer += value;
    let end = buffer.indexOf("\n\n");
    while (end !== -1) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const name = /^event: (.+)$/m.exec(block)?.[1];
      const data = /^data: (.+)$/m.exec(block)?.[1];
      if (name) names.push(name);
      if (name === "decided" && data) {
        await reader.cancel();
        return { names, decided: JSON.parse(data) };
      }
      end = buffer.indexOf("\n\n");
    }
  }
}

describe("two server processes on one Postgres database", () => {
  it("creates on A, decides on B, and wakes the long-poll and the event stream waiting on A", async () => {
    const opened = await openPause(a.url, keys.agent);
    expect(opened.status).toBe(202);
    const pauseId = String(opened.body.pause_id);

    const events = await fetch(`${a.url}/v1/pauses/${pauseId}/events`, {
      headers: { authorization: `Bearer ${keys.agent}` },
    });
    const streamed = readEvents(events);
    // Longer than the test may run: only a wake-up can end this wait in time.
    const longPoll = call(`${a.url}/v1/pauses/${pauseId}?wait=60`, keys.agent);
    // Let both requests reach A and start waiting before B decides.
    await new Promise((resolve) => setTimeout(resolve, 200));

    const decided = await decide(b.url, keys.approver, pauseId, "approve");
    expect(decided.status).toBe(200);

    const polled = await longPoll;
    expect(polled.status).toBe(200);
    expect(polled.body).toMatchObject({ pause_id: pauseId, status: "approved" });
    expect(polled.body.proof).toMatchObject({ pause_id: pauseId, decision: "approved" });
    const { names, decided: final } = await streamed;
    expect(names.at(-1)).toBe("decided");
    expect(final).toMatchObject({ pause_id: pauseId, status: "approved" });
  });

  it("lets exactly one of 50 concurrent decisions spread over both instances win", async () => {
    const opened = await openPause(b.url, keys.agent);
    const pauseId = String(opened.body.pause_id);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        decide(
          index % 2 === 0 ? a.url : b.url,
          keys.approver,
          pauseId,
          index % 3 === 0 ? "reject" : "approve",
        ),
      ),
    );
    const statuses = results.map((result) => result.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(49);
    for (const result of results.filter((result) => result.status === 409)) {
      expect(result.body.code).toBe("already_decided");
    }
    const winner = results.find((result) => result.status === 200)!.body;
    for (const server of [a, b]) {
      const read = await call(`${server.url}/v1/pauses/${pauseId}`, keys.agent);
      expect(read.body.status).toBe(winner.status);
      expect(read.body.proof).toEqual(winner.proof);
    }
    const audit = await call(`${a.url}/v1/audit?pause_id=${pauseId}&type=pause.decided`, keys.admin);
    expect(audit.status).toBe(200);
    expect(audit.body.data).toHaveLength(1);
  });

  it("gives the same pause for one idempotency key sent to both instances at once", async () => {
    const headers = { "idempotency-key": "order-1042" };
    const [first, second] = await Promise.all([
      openPause(a.url, keys.agent, {}, headers),
      openPause(b.url, keys.agent, {}, headers),
    ]);
    expect([first.status, second.status].sort()).toEqual([200, 202]);
    expect(first.body.pause_id).toBe(second.body.pause_id);
  });

  it("sends each webhook once while both instances run delivery workers", async () => {
    const pauseIds: string[] = [];
    for (let index = 0; index < 12; index++) {
      const opened = await openPause(index % 2 === 0 ? a.url : b.url, keys.agent, {
        webhook_url: receiver.url,
      });
      pauseIds.push(String(opened.body.pause_id));
    }
    await Promise.all(
      pauseIds.map((pauseId, index) =>
        decide(index % 2 === 0 ? b.url : a.url, keys.approver, pauseId, "approve"),
      ),
    );
    const delivered = async () => {
      const deliveries = await Promise.all(pauseIds.map((pauseId) => store.listDeliveries(pauseId)));
      return deliveries.every((list) => list.length === 1 && list[0]!.status === "delivered");
    };
    await eventually(delivered);
    const sent = receiver.received.filter((request) =>
      pauseIds.some((pauseId) => request.body.includes(pauseId)),
    );
    expect(sent).toHaveLength(12);
    expect(new Set(sent.map((request) => request.headers["webhook-id"])).size).toBe(12);
  });

  it("expires an overdue pause once, though both instances sweep", async () => {
    const opened = await openPause(a.url, keys.agent, { expires_in: 1, webhook_url: receiver.url });
    const pauseId = String(opened.body.pause_id);
    const settled = await call(`${b.url}/v1/pauses/${pauseId}?wait=10`, keys.agent);
    expect(settled.body.status).toBe("expired");
    await eventually(async () => (await store.listDeliveries(pauseId))[0]?.status === "delivered");
    // Give the other instance's sweep time to have tried too: its compare-and-set must have lost.
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(await store.listAudit({ pauseId, type: "pause.expired", limit: 10 })).toHaveLength(1);
    expect(await store.listDeliveries(pauseId)).toHaveLength(1);
    expect(receiver.received.filter((request) => request.body.includes(pauseId))).toHaveLength(1);
  });
});
