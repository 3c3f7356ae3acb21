import type { AuditEvent } from "@countersign/core";
import {
  auditEventHash,
  formatHash,
  frontierRoot,
  GENESIS_HASH,
  readTreeHead,
  type Store,
  treeNodesFor,
} from "@countersign/core/server";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresStore } from "./postgres-store.ts";
import { createKeys, type Keys, openPause } from "./test-support/http-helpers.ts";
import { type ServerProcess, startServerProcess } from "./test-support/server-process.ts";
import { auditInput, eventually } from "./test-support/store-fixtures.ts";
import { createTestDatabase, type TestDatabase } from "./test-support/test-database.ts";

let database: TestDatabase;
let store: Store;
let keys: Keys;
const servers: ServerProcess[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  store = postgresStore(database.url);
  await store.migrate();
  keys = await createKeys(store);
});

afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop("SIGKILL")));
  await store?.close();
  await database?.drop();
});

async function everyEvent(): Promise<AuditEvent[]> {
  const events: AuditEvent[] = [];
  for (;;) {
    const page = await store.listAudit({
      limit: 1_000,
      ...(events.length > 0 && { afterSeq: events.at(-1)!.seq }),
    });
    events.push(...page);
    if (page.length < 1_000) return events;
  }
}

/** One chain from seq 1 with no gap, each link hashed over the one before, and the tree built over exactly these events. */
async function expectOneValidLog(events: AuditEvent[]): Promise<void> {
  let previous = GENESIS_HASH;
  events.forEach((event, index) => {
    expect(event.seq).toBe(index + 1);
    expect(event.prev_hash).toBe(previous);
    const { hash, ...unhashed } = event;
    expect(auditEventHash(unhashed)).toBe(hash);
    previous = hash;
  });
  const root = formatHash(frontierRoot(treeNodesFor([], 0, events).frontier));
  expect(await readTreeHead(store)).toMatchObject({ size: events.length, rootHash: root });
}

describe("audit rows are append-only in Postgres", () => {
  it("refuses UPDATE, DELETE and TRUNCATE of events and tree nodes, while the sealer still seals", async () => {
    await store.appendAudit(auditInput("pause.viewed", null, { n: 1 }));
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      await expect(client.query(`UPDATE audit_events SET data = '{"n":2}' WHERE seq = 1`)).rejects.toThrow(
        /append-only/,
      );
      await expect(client.query("UPDATE audit_events SET seq = 99 WHERE seq = 1")).rejects.toThrow(
        /append-only/,
      );
      await expect(client.query("DELETE FROM audit_events")).rejects.toThrow(/append-only/);
      await expect(client.query("TRUNCATE audit_events CASCADE")).rejects.toThrow(/append-only/);
      await expect(client.query("UPDATE audit_nodes SET hash = '\\x00'")).rejects.toThrow(/append-only/);
      await expect(client.query("DELETE FROM audit_nodes")).rejects.toThrow(/append-only/);
      // Even an unsealed event can only be sealed, not changed.
      await client.query("BEGIN");
      await client.query(
        `INSERT INTO audit_events (event_id, type, actor, actor_id, at, at_time, data)
          VALUES ('evt_raw', 'pause.viewed', '{"kind":"system","id":"x"}', 'x', '2030-01-01T00:00:00.000Z', now(), '{}')`,
      );
      await expect(
        client.query("UPDATE audit_events SET data = '{\"x\":1}' WHERE event_id = 'evt_raw'"),
      ).rejects.toThrow(/append-only/);
      await client.query("ROLLBACK");
    } finally {
      await client.end();
    }
    await store.appendAudit(auditInput("pause.viewed", null, { n: 2 }));
    await expectOneValidLog(await everyEvent());
  });
});

describe("sealing across two server processes", () => {
  it("loses no acknowledged pause and keeps one valid chain when the sealer's instance is killed -9 under load", async () => {
    const a = await startServerProcess(database.url);
    const b = await startServerProcess(database.url);
    servers.push(a, b);
    const byPid = new Map([
      [a.child.pid, a],
      [b.child.pid, b],
    ]);
    const acknowledged: string[] = [];
    let stopAt = Date.now() + 30_000;
    const alive = new Set([a, b]);
    const worker = async (index: number) => {
      while (Date.now() < stopAt) {
        const targets = [...alive];
        const target = targets[index % targets.length]!;
        try {
          const response = await openPause(target.url, keys.agent);
          if (response.status === 202) acknowledged.push(String(response.body.pause_id));
        } catch {
          // The killed instance's connections reset: those pauses were never acknowledged.
        }
      }
    };
    const load = Promise.all(Array.from({ length: 16 }, (_, index) => worker(index)));

    // Whoever sealed last is the sealer of the moment: kill it mid-load.
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    let victim: ServerProcess | undefined;
    await eventually(async () => {
      const [row] = (await client.query("SELECT sealed_by FROM audit_head")).rows;
      const pid = Number(String(row?.sealed_by ?? "").split("@")[0]);
      victim = byPid.get(pid);
      return victim !== undefined && acknowledged.length > 50;
    }, 15_000);
    await client.end();
    alive.delete(victim!);
    const beforeKill = acknowledged.length;
    await victim!.stop("SIGKILL");
    // Keep the survivor under load a while: long enough to seal alone, bounded however slow the machine is.
    const keepUntil = Date.now() + 15_000;
    await eventually(async () => acknowledged.length >= beforeKill + 20 || Date.now() > keepUntil, 20_000);
    stopAt = Date.now();
    await load;

    const survivor = [...alive][0]!;
    expect(acknowledged.length).toBeGreaterThan(50);
    const events = await everyEvent();
    await expectOneValidLog(events);
    const opened = new Set(
      events.filter((event) => event.type === "pause.opened").map((event) => event.pause_id),
    );
    expect(acknowledged.filter((pauseId) => !opened.has(pauseId))).toEqual([]);
    // Sealing went on without the killed instance (the survivor or this test's own store sealed the rest).
    const after = new pg.Client({ connectionString: database.url });
    await after.connect();
    const [head] = (await after.query("SELECT sealed_by FROM audit_head")).rows;
    await after.end();
    expect(String(head.sealed_by)).not.toMatch(new RegExp(`^${victim!.child.pid}@`));
    expect((await openPause(survivor.url, keys.agent)).status).toBe(202);
  }, 90_000);
});
