import { describeStoreConformance } from "@countersign/core/testing";
import { afterAll, beforeAll } from "vitest";
import { postgresStore } from "./postgres-store.ts";
import { createTestDatabase, emptyStoreTables, type TestDatabase } from "./test-support/test-database.ts";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
  const store = postgresStore(database.url);
  await store.migrate();
  await store.close();
});
afterAll(async () => {
  await database?.drop();
});

// The same suite the SQLite store passes, unchanged. Each test starts from emptied tables.
describeStoreConformance("postgres", async () => {
  await emptyStoreTables(database.url);
  const store = postgresStore(database.url, { pollIntervalMs: 200 });
  return {
    store,
    cleanup: () => store.close(),
    openAnother: async () => postgresStore(database.url, { pollIntervalMs: 200 }),
  };
});
