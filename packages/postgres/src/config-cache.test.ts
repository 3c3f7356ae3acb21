import { issueApiKey, type Store } from "@countersign/core/server";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { postgresStore } from "./postgres-store.ts";
import { eventually } from "./test-support/store-fixtures.ts";
import { createTestDatabase, emptyStoreTables, type TestDatabase } from "./test-support/test-database.ts";

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
