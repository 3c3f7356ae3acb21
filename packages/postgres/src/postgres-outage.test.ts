import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { postgresStore } from "./postgres-store.ts";
import { call, createKeys, decide, type Keys, openPause } from "./test-support/http-helpers.ts";
import { localCluster } from "./test-support/postgres-cluster.ts";
import { type ServerProcess, startServerProcess } from "./test-support/server-process.ts";
import { eventually } from "./test-support/store-fixtures.ts";
import { createTestDatabase, type TestDatabase } from "./test-support/test-database.ts";

// These tests stop and restart the real Postgres server; the vitest config runs test files one at a time.

const cluster = localCluster();
let database: TestDatabase;
let keys: Keys;
let a: ServerProcess;
let b: ServerProcess;

beforeAll(async () => {
  database = await createTestDatabase();
  const store = postgresStore(database.url);
  await store.migrate();
  keys = await createKeys(store);
  await store.close();
  [a, b] = await Promise.all([startServerProcess(database.url), startServerProcess(database.url)]);
});

afterEach(async () => {
  // Whatever happened, Postgres is up again for the next test and for everyone else.
  await cluster.ensureRunning();
});

afterAll(async () => {
  await cluster.ensureRunning();
  await Promise.all([a?.stop(), b?.stop()]);
  await database?.drop();
});

async function ready(url: string): Promise<number> {
  return (await fetch(`${url}/readyz`)).status;
}

describe("when Postgres goes away", () => {
  it("reports 503 on /readyz, fails requests closed, and recovers by itself when Postgres is back", async () => {
    const opened = await openPause(a.url, keys.agent);
    const pauseId = String(opened.body.pause_id);
    expect([await ready(a.url), await ready(b.url)]).toEqual([200, 200]);

    await cluster.stop();
    expect([await ready(a.url), await ready(b.url)]).toEqual([503, 503]);
    const refusedOpen = await openPause(a.url, keys.agent);
    const refusedDecision = await decide(b.url, keys.approver, pauseId, "approve");
    const refusedRead = await call(`${a.url}/v1/pauses/${pauseId}`, keys.agent);
    for (const refused of [refusedOpen, refusedDecision, refusedRead]) {
      expect(refused.status).toBe(503);
      expect(refused.body.code).toBe("store_unavailable");
    }

    await cluster.start();
    await eventually(async () => (await ready(a.url)) === 200 && (await ready(b.url)) === 200, 15_000);
    // The decision that failed wrote nothing: the pause is still waiting.
    const after = await call(`${b.url}/v1/pauses/${pauseId}`, keys.agent);
    expect(after.body.status).toBe("pending");

    // Wake-ups work again across instances (A's LISTEN connection came back or its poll caught up).
    const longPoll = call(`${a.url}/v1/pauses/${pauseId}?wait=60`, keys.agent);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await decide(b.url, keys.approver, pauseId, "approve")).status).toBe(200);
    expect((await longPoll).body.status).toBe("approved");
    expect((await openPause(a.url, keys.agent)).status).toBe(202);
  });

  it("loses no acknowledged pause when Postgres restarts under load, and a retry with the same key never duplicates", async () => {
    const outcomes: {
      key: string;
      status: number;
      code: unknown;
      pauseId: unknown;
      afterRestart: boolean;
    }[] = [];
    let restarted = false;
    let stop = false;
    const worker = async (index: number) => {
      for (let n = 0; !stop; n++) {
        const key = randomUUID();
        const server = (index + n) % 2 === 0 ? a : b;
        const result = await openPause(server.url, keys.agent, {}, { "idempotency-key": key });
        outcomes.push({
          key,
          status: result.status,
          code: result.body.code,
          pauseId: result.body.pause_id,
          afterRestart: restarted,
        });
      }
    };
    const load = Promise.all([0, 1, 2, 3].map(worker));
    try {
      await eventually(() => outcomes.filter((outcome) => outcome.status === 202).length >= 10);
      await cluster.restart();
      restarted = true;
      await eventually(
        () => outcomes.filter((outcome) => outcome.afterRestart && outcome.status === 202).length >= 10,
        15_000,
      );
    } finally {
      stop = true;
      await load;
    }

    // Every answer was an acknowledgement or a fail-closed 503; nothing in between.
    for (const outcome of outcomes) {
      if (outcome.status !== 202)
        expect({ status: outcome.status, code: outcome.code }).toEqual({
          status: 503,
          code: "store_unavailable",
        });
    }
    // Every acknowledged pause is there, on either instance.
    const acknowledged = outcomes.filter((outcome) => outcome.status === 202);
    for (const [index, outcome] of acknowledged.entries()) {
      const read = await call(
        `${(index % 2 === 0 ? b : a).url}/v1/pauses/${String(outcome.pauseId)}`,
        keys.agent,
      );
      expect(read.body).toMatchObject({ pause_id: outcome.pauseId, status: "pending" });
    }
    // A refused request retried with its key either finds the pause it did commit, or creates it now: one pause per key.
    const refused = outcomes.filter((outcome) => outcome.status === 503);
    const retried = await Promise.all(
      refused.map((outcome) => openPause(a.url, keys.agent, {}, { "idempotency-key": outcome.key })),
    );
    for (const retry of retried) expect([200, 202]).toContain(retry.status);
    const listed = new Set<string>();
    let cursor: string | null = null;
    do {
      const page = await call(`${a.url}/v1/pauses?limit=100${cursor ? `&cursor=${cursor}` : ""}`, keys.admin);
      for (const item of page.body.data as { pause_id: string }[]) listed.add(item.pause_id);
      cursor = (page.body.next_cursor as string | null) ?? null;
    } while (cursor !== null);
    const opened = new Set([
      ...acknowledged.map((outcome) => String(outcome.pauseId)),
      ...retried.map((retry) => String(retry.body.pause_id)),
    ]);
    // The first test opened two pauses of its own.
    expect(listed.size).toBe(opened.size + 2);
    for (const pauseId of opened) expect(listed).toContain(pauseId);
  });
});
