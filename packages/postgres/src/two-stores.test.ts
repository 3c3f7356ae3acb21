import { auditEventHash, GENESIS_HASH, type Store } from "@countersign/core/server";
import pg from "pg";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { MIGRATIONS } from "./migrations.ts";
import { postgresStore } from "./postgres-store.ts";
import { auditInput, eventually, openPause, pauseRecord, rejection } from "./test-support/store-fixtures.ts";
import { createTestDatabase, emptyStoreTables, type TestDatabase } from "./test-support/test-database.ts";

// Two stores with their own pools stand for two server instances on one database.

let database: TestDatabase;
let open: Store[] = [];

function instance(options: Parameters<typeof postgresStore>[1] = {}): Store {
  const store = postgresStore(database.url, options);
  open.push(store);
  return store;
}

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});
beforeEach(async () => {
  const setup = instance();
  await setup.migrate();
  await emptyStoreTables(database.url);
});
afterEach(async () => {
  await Promise.all(open.map((store) => store.close()));
  open = [];
});

async function listenerPids(applicationName: string): Promise<number[]> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    const { rows } = await client.query(
      `SELECT pid FROM pg_stat_activity
        WHERE datname = current_database() AND application_name = $1 AND query LIKE 'LISTEN %'`,
      [applicationName],
    );
    return rows.map((row) => Number(row.pid));
  } finally {
    await client.end();
  }
}

async function terminate(pids: number[]): Promise<void> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  await client.query("SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid", [pids]);
  await client.end();
}

describe("several instances on one database", () => {
  it("migrates once when four instances start at the same moment", async () => {
    const fresh = await createTestDatabase();
    const stores = Array.from({ length: 4 }, () => postgresStore(fresh.url));
    try {
      await Promise.all(stores.map((store) => store.migrate()));
      const client = new pg.Client({ connectionString: fresh.url });
      await client.connect();
      const { rows } = await client.query("SELECT version FROM countersign_migrations ORDER BY version");
      await client.end();
      expect(rows.map((row) => row.version)).toEqual(MIGRATIONS.map((migration) => migration.version));
      const pause = await openPause(stores[3]!);
      expect((await stores[0]!.getPause(pause.pauseId))?.pauseId).toBe(pause.pauseId);
    } finally {
      await Promise.all(stores.map((store) => store.close()));
      await fresh.drop();
    }
  });

  it("wakes a subscriber of instance B when instance A decides", async () => {
    const a = instance();
    const b = instance();
    const heard: string[] = [];
    b.subscribe((pauseId) => heard.push(pauseId));
    const pause = await openPause(a);
    await eventually(() => heard.includes(pause.pauseId));
    await a.decide(pause.pauseId, rejection("alice@example.com"), { audit: [] });
    await eventually(() => heard.filter((id) => id === pause.pauseId).length === 2);
    expect((await b.getPause(pause.pauseId))?.status).toBe("rejected");
  });

  it("still wakes B when every notification is lost, through the poll", async () => {
    const a = instance();
    // B listens on a channel nobody notifies: only its poll can tell it anything.
    const b = instance({ channel: "countersign_deaf", pollIntervalMs: 100 });
    const heard: string[] = [];
    b.subscribe((pauseId) => heard.push(pauseId));
    const pause = await openPause(a);
    await a.decide(pause.pauseId, rejection("alice@example.com"), { audit: [] });
    await eventually(() => heard.includes(pause.pauseId));
  });

  it("reconnects B's LISTEN connection after Postgres drops it, without losing the change made meanwhile", async () => {
    const a = instance();
    // No periodic poll to speak of: only LISTEN and the catch-up read after a reconnect can deliver.
    const b = instance({ pollIntervalMs: 600_000, pool: { application_name: "countersign-b" } });
    const heard: string[] = [];
    b.subscribe((pauseId) => heard.push(pauseId));
    let first: number[] = [];
    await eventually(async () => {
      first = await listenerPids("countersign-b");
      return first.length === 1;
    });

    await terminate(first);
    const duringOutage = await openPause(a);
    await eventually(() => heard.includes(duringOutage.pauseId));

    await eventually(async () => {
      const now = await listenerPids("countersign-b");
      return now.length === 1 && now[0] !== first[0];
    });
    const afterwards = await openPause(a);
    await eventually(() => heard.includes(afterwards.pauseId));
  });

  it("lets exactly one of 50 decisions spread over two instances win", async () => {
    const a = instance();
    const b = instance();
    const pause = await openPause(a);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        (index % 2 === 0 ? a : b).decide(pause.pauseId, rejection(`approver-${index}@example.com`), {
          audit: [auditInput("pause.decided", pause.pauseId)],
        }),
      ),
    );
    const winners = results.filter((result) => result?.ok);
    expect(winners).toHaveLength(1);
    for (const result of results) expect(result?.pause).toEqual(winners[0]!.pause);
    expect(await a.listAudit({ type: "pause.decided", limit: 100 })).toHaveLength(1);
  });

  it("keeps one unforked audit chain while two instances append at once", async () => {
    const a = instance();
    const b = instance();
    await Promise.all(
      Array.from({ length: 80 }, (_, index) =>
        (index % 2 === 0 ? a : b).appendAudit(auditInput("pause.viewed", null, { index })),
      ),
    );
    const events = await b.listAudit({ limit: 1_000 });
    expect(events).toHaveLength(80);
    let previous = GENESIS_HASH;
    for (const [index, event] of events.entries()) {
      expect(event.seq).toBe(index + 1);
      expect(event.prev_hash).toBe(previous);
      const { hash, ...unhashed } = event;
      expect(auditEventHash(unhashed)).toBe(hash);
      previous = hash;
    }
  });

  it("shares the webhook outbox: concurrent leases never overlap, and a dead instance's lease passes on when it runs out", async () => {
    const a = instance();
    const b = instance();
    const base = Date.parse("2030-01-01T00:00:00.000Z");
    const at = (seconds: number) => new Date(base + seconds * 1_000).toISOString();
    const ids: string[] = [];
    for (let index = 0; index < 12; index++) {
      const pause = await openPause(a);
      const deliveryId = `msg_${String(index).padStart(26, "0")}`;
      ids.push(deliveryId);
      await a.decide(pause.pauseId, rejection("alice@example.com"), {
        delivery: {
          deliveryId,
          pauseId: pause.pauseId,
          endpointId: null,
          url: "https://receiver.example/hooks",
          payload: "{}",
          status: "pending",
          attempts: 0,
          nextAttemptAt: at(0),
          leaseUntil: null,
          lastStatus: null,
          lastError: null,
          createdAt: at(0),
        },
        audit: [],
      });
    }
    const [first, second] = await Promise.all([
      a.leaseDueDeliveries(at(1), 8, 30_000),
      b.leaseDueDeliveries(at(1), 8, 30_000),
    ]);
    const leased = [...first!, ...second!].map((delivery) => delivery.deliveryId).sort();
    expect(leased).toEqual(ids);

    // A dies holding its leases: B gets them only once they run out.
    await a.close();
    expect(await b.leaseDueDeliveries(at(20), 20, 30_000)).toEqual([]);
    const takenOver = await b.leaseDueDeliveries(at(31), 20, 30_000);
    expect(takenOver.map((delivery) => delivery.deliveryId).sort()).toEqual(ids);
  });
});

describe("failures", () => {
  it("answers store_unavailable, not a crash, when Postgres does not answer", async () => {
    const store = postgresStore("postgres://postgres@127.0.0.1:1/countersign");
    try {
      await expect(store.ping()).rejects.toMatchObject({ code: "store_unavailable" });
      await expect(store.migrate()).rejects.toMatchObject({ code: "store_unavailable" });
      await expect(store.createPause(pauseRecord(), { audit: [] })).rejects.toMatchObject({
        code: "store_unavailable",
      });
      const heard: string[] = [];
      const unsubscribe = store.subscribe((pauseId) => heard.push(pauseId));
      unsubscribe();
    } finally {
      await store.close();
    }
  });

  it("answers store_unavailable after close", async () => {
    const store = instance();
    await store.close();
    await expect(store.getPause("pau_x")).rejects.toMatchObject({ code: "store_unavailable" });
  });

  it("keeps a NUL character inside JSON, and refuses one in a plain column with invalid_request, writing nothing", async () => {
    const store = instance();
    const withNul = pauseRecord({ action: { type: "payment", data: { memo: "a\u0000b" } } });
    await store.createPause(withNul, { audit: [] });
    expect((await store.getPause(withNul.pauseId))?.action.data).toEqual({ memo: "a\u0000b" });

    const refused = pauseRecord({ agentId: "agent\u0000" });
    await expect(
      store.createPause(refused, { audit: [auditInput("pause.opened", refused.pauseId)] }),
    ).rejects.toMatchObject({ code: "invalid_request" });
    expect(await store.getPause(refused.pauseId)).toBeNull();
    expect(await store.listAudit({ pauseId: refused.pauseId, limit: 10 })).toEqual([]);
  });
});
