import { issueApiKey, type Store } from "@countersign/core/server";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createConfigCache } from "./config-cache.ts";
import { postgresStore } from "./postgres-store.ts";
import { eventually } from "./test-support/store-fixtures.ts";
import { createTestDatabase, emptyStoreTables, type TestDatabase } from "./test-support/test-database.ts";

describe("the config cache", () => {
  it("shares one load, keeps it for its lifetime, and hands each caller its own copy", async () => {
    let clock = 0;
    let loads = 0;
    const cache = createConfigCache({ lifetimeMs: 1_000, now: () => clock });
    const load = async () => ({ loads: ++loads, agentIds: ["a"] });
    const [first, second] = await Promise.all([
      cache.read("api_keys", "k", load),
      cache.read("api_keys", "k", load),
    ]);
    expect(loads).toBe(1);
    first.agentIds.push("edited by one caller");
    expect(second.agentIds).toEqual(["a"]);
    expect((await cache.read("api_keys", "k", load)).agentIds).toEqual(["a"]);
    clock = 1_000;
    expect((await cache.read("api_keys", "k", load)).loads).toBe(2);
  });

  it("keeps nothing a load read while the table changed, nor what `keep` refuses", async () => {
    let loads = 0;
    const cache = createConfigCache({ lifetimeMs: 60_000 });
    let finish: (value: number) => void = () => {};
    const slow = cache.read("grants", "all", () => new Promise<number>((resolve) => (finish = resolve)));
    cache.invalidate("grants");
    finish(1);
    expect(await slow).toBe(1);
    expect(await cache.read("grants", "all", async () => 2)).toBe(2);
    expect(await cache.read("grants", "all", async () => 3)).toBe(2);

    const unknown = async () => (++loads, null);
    await cache.read("api_keys", "missing", unknown, (value) => value !== null);
    await cache.read("api_keys", "missing", unknown, (value) => value !== null);
    expect(loads).toBe(2);
  });
});

// Two stores with their own pools stand for two server instances on one database. The cache
// lives a minute here, so only the NOTIFY between instances can make a change seen quickly.
describe("the config cache across instances", () => {
  let database: TestDatabase;
  let open: Store[] = [];
  const instance = () => {
    const store = postgresStore(database.url, { configCacheMs: 60_000 });
    open.push(store);
    return store;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });
  beforeEach(async () => {
    await instance().migrate();
    await emptyStoreTables(database.url);
  });
  afterEach(async () => {
    await Promise.all(open.map((store) => store.close()));
    open = [];
  });

  it("sees a key revoked through the other instance within a second, and its own revocation at once", async () => {
    const [a, b] = [instance(), instance()];
    const now = new Date();
    const first = await issueApiKey(a, { role: "approver", identity: "alice@example.com", now });
    const second = await issueApiKey(a, { role: "approver", identity: "bob@example.com", now });
    expect((await a.findApiKeyByHash(first.record.hash))?.revokedAt).toBeNull();
    expect((await a.findApiKeyByHash(second.record.hash))?.revokedAt).toBeNull();

    await b.revokeApiKey(first.record.keyId, new Date().toISOString());
    await eventually(async () => (await a.findApiKeyByHash(first.record.hash))?.revokedAt !== null, 1_000);

    await a.revokeApiKey(second.record.keyId, new Date().toISOString());
    expect((await a.findApiKeyByHash(second.record.hash))?.revokedAt).not.toBeNull();
  });

  it("sees a delegation made through the other instance within a second, filtered by time and person", async () => {
    const [a, b] = [instance(), instance()];
    const at = new Date().toISOString();
    expect(await a.listDelegations({ activeAt: at })).toEqual([]);
    const delegation = {
      delegationId: "dlg_cache",
      from: "Alice@example.com",
      to: "bob@example.com",
      startsAt: new Date(Date.now() - 60_000).toISOString(),
      endsAt: new Date(Date.now() + 3_600_000).toISOString(),
      actionTypes: null,
      reason: null,
      createdBy: "alice@example.com",
      createdAt: at,
      revokedAt: null,
      revokedBy: null,
    };
    await b.createDelegation(delegation, []);
    await eventually(async () => (await a.listDelegations({ activeAt: at })).length === 1, 1_000);
    expect(await a.listDelegations({ activeAt: at, involving: "alice@example.com" })).toHaveLength(1);
    expect(await a.listDelegations({ activeAt: at, involving: "carol@example.com" })).toEqual([]);
    expect(await a.listDelegations({ activeAt: delegation.endsAt })).toEqual([]);
  });
});
