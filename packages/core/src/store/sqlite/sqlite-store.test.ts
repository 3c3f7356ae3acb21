import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { Worker } from "node:worker_threads";
import { afterEach, describe, expect, it } from "vitest";
import { describeStoreConformance } from "../../testing/store-conformance.ts";
import { delegationFixture } from "../../testing/store-conformance-delegations.ts";
import {
  allAuditEvents,
  at,
  auditFixture,
  decisionFixture,
  expectValidChain,
  openPause,
} from "../../testing/store-conformance-fixtures.ts";
import type { Store } from "../store.ts";
import { sqliteStore } from "./sqlite-store.ts";

const directories: string[] = [];

function temporaryDatabasePath(): string {
  const directory = mkdtempSync(join(tmpdir(), "countersign-sqlite-"));
  directories.push(directory);
  return join(directory, "countersign.db");
}

afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

describeStoreConformance("sqlite", async () => {
  const path = temporaryDatabasePath();
  const store = sqliteStore(path);
  return {
    store,
    cleanup: () => store.close(),
    openAnother: async () => {
      const other = sqliteStore(path);
      await other.migrate();
      return other;
    },
  };
});

describe("sqliteStore", () => {
  const opened: Store[] = [];
  async function open(path: string): Promise<Store> {
    const store = sqliteStore(path);
    opened.push(store);
    await store.migrate();
    return store;
  }
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
  });

  it("keeps every write across closing and reopening the file", async () => {
    const path = temporaryDatabasePath();
    const first = await open(path);
    const pause = await openPause(first);
    const decided = await first.decide(pause.pauseId, decisionFixture(pause, "approved"), {
      audit: [auditFixture("pause.decided", { pauseId: pause.pauseId })],
    });
    await first.putSettingIfAbsent("proof_secret", "s3cret");
    await first.close();

    const reopened = await open(path);
    expect(await reopened.getPause(pause.pauseId)).toEqual(decided?.pause);
    expect(await reopened.getSetting("proof_secret")).toBe("s3cret");
    const appended = await reopened.appendAudit(auditFixture("pause.viewed"));
    expect(appended.seq).toBe(3);
    expectValidChain(await allAuditEvents(reopened));
  });

  it("puts the file in WAL mode", async () => {
    const path = temporaryDatabasePath();
    await open(path);
    const inspector = new DatabaseSync(path);
    try {
      expect(inspector.prepare("PRAGMA journal_mode").get()).toEqual({ journal_mode: "wal" });
    } finally {
      inspector.close();
    }
  });

  it("serves config reads from memory, yet sees another process's revocation and delegation at once", async () => {
    const path = temporaryDatabasePath();
    // A minute of cache: only PRAGMA data_version can make the other process's writes seen this soon.
    const server = sqliteStore(path, { configCacheMs: 60_000 });
    opened.push(server);
    await server.migrate();
    const cli = await open(path);
    const key = {
      keyId: "key_cached",
      hash: "c".repeat(64),
      role: "approver" as const,
      identity: "alice@example.com",
      name: null,
      agentIds: null,
      actionTypes: null,
      createdAt: at(0),
      revokedAt: null,
    };
    await cli.createApiKey(key);
    expect((await server.findApiKeyByHash(key.hash))?.revokedAt).toBeNull();
    expect(await server.listDelegations({ activeAt: at(10) })).toEqual([]);

    await cli.revokeApiKey(key.keyId, at(5));
    await cli.createDelegation(delegationFixture({ startsAt: at(0), endsAt: at(3600) }), []);
    expect((await server.findApiKeyByHash(key.hash))?.revokedAt).toBe(at(5));
    expect(await server.listDelegations({ activeAt: at(10) })).toHaveLength(1);
    expect(await server.listDelegations({ activeAt: at(10), involving: "carol@example.com" })).toEqual([]);

    // Its own writes drop the cache too.
    await server.revokeDelegation(
      (await server.listDelegations({ activeAt: at(10) }))[0]!.delegationId,
      at(20),
      "alice@example.com",
      [],
    );
    expect(await server.listDelegations({ activeAt: at(30) })).toEqual([]);
  });

  it("gives exactly one winner for decide and claim across two stores on one file", async () => {
    const path = temporaryDatabasePath();
    const [left, right] = await Promise.all([open(path), open(path)]);
    const pause = await openPause(left!);
    const stores = [left!, right!];

    const decisions = await Promise.all(
      Array.from({ length: 40 }, (_, index) =>
        stores[index % 2]!.decide(
          pause.pauseId,
          decisionFixture(pause, "approved", `approver-${index}@example.com`),
          {
            audit: [auditFixture("pause.decided", { pauseId: pause.pauseId })],
          },
        ),
      ),
    );
    expect(decisions.filter((result) => result?.ok)).toHaveLength(1);

    const claims = await Promise.all(
      Array.from({ length: 40 }, (_, index) =>
        stores[index % 2]!.claim(pause.pauseId, at(100 + index), auditFixture("pause.claimed")),
      ),
    );
    expect(claims.filter((result) => result?.ok)).toHaveLength(1);
    expect(await right!.getPause(pause.pauseId)).toEqual(await left!.getPause(pause.pauseId));
    expectValidChain(await allAuditEvents(right!));
  });

  it("keeps one chain and one claim when two threads write the same file at once", async () => {
    const path = temporaryDatabasePath();
    const store = await open(path);
    const pause = await openPause(store);
    await store.decide(pause.pauseId, decisionFixture(pause, "approved"), { audit: [] });

    const runWriter = (writer: string) =>
      new Promise<{ claimed: boolean }>((resolve, reject) => {
        const worker = new Worker(new URL("./concurrent-writer.fixture.ts", import.meta.url), {
          workerData: { path, pauseId: pause.pauseId, writer, appends: 100 },
        });
        worker.once("message", resolve);
        worker.once("error", reject);
        worker.once("exit", (code) => reject(new Error(`writer ${writer} exited with code ${code}`)));
      });
    const results = await Promise.all([runWriter("thread-a"), runWriter("thread-b")]);

    expect(results.filter((result) => result.claimed)).toHaveLength(1);
    const events = await allAuditEvents(store);
    expectValidChain(events);
    expect(events.filter((event) => event.type === "pause.viewed")).toHaveLength(200);
    expect(events.filter((event) => event.type === "pause.claimed")).toHaveLength(1);
  });

  it("rejects with store_unavailable once closed", async () => {
    const store = await open(temporaryDatabasePath());
    const pause = await openPause(store);
    await store.close();
    await expect(store.getPause(pause.pauseId)).rejects.toMatchObject({ code: "store_unavailable" });
    await expect(store.ping()).rejects.toMatchObject({ code: "store_unavailable" });
    await expect(store.appendAudit(auditFixture("pause.viewed"))).rejects.toMatchObject({
      code: "store_unavailable",
    });
  });

  it("rejects with store_unavailable when the file cannot be opened", async () => {
    const store = sqliteStore(join(temporaryDatabasePath(), "missing-directory", "countersign.db"));
    await expect(store.migrate()).rejects.toMatchObject({
      name: "CountersignError",
      code: "store_unavailable",
    });
    await expect(store.ping()).rejects.toMatchObject({ code: "store_unavailable" });
  });
});
