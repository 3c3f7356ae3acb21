import type { Store } from "@countersign/core/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresStore } from "./postgres-store.ts";
import { call, createKeys, type Keys, openPause } from "./test-support/http-helpers.ts";
import { type ServerProcess, startServerProcess } from "./test-support/server-process.ts";
import { createTestDatabase, type TestDatabase } from "./test-support/test-database.ts";

// Standing grants and batch decisions on Postgres, across two real server processes: a grant
// made on one instance is used up by pauses opened on both, and never past its bounds.

let database: TestDatabase;
let a: ServerProcess;
let b: ServerProcess;
let keys: Keys;
let store: Store;

beforeAll(async () => {
  database = await createTestDatabase();
  store = postgresStore(database.url);
  await store.migrate();
  keys = await createKeys(store);
  [a, b] = await Promise.all([startServerProcess(database.url), startServerProcess(database.url)]);
});

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await store?.close();
  await database?.drop();
});

describe("standing grants on Postgres", () => {
  it("approves exactly max_count of 100 fitting pauses opened at once on two instances", async () => {
    const created = await call(`${a.url}/v1/grants`, keys.approver, {
      body: {
        agent_ids: ["billing-*"],
        action_type: "payment",
        conditions: ["amount <= 500"],
        max_count: 10,
        max_total: { field: "amount", max: 5_000 },
        expires_in: 600,
      },
    });
    expect(created.status).toBe(201);
    const grantId = String(created.body.grant_id);
    const opened = await Promise.all(
      Array.from({ length: 100 }, (_, index) =>
        openPause(index % 2 === 0 ? a.url : b.url, keys.agent, {
          action: { type: "payment", data: { amount: 400 } },
        }),
      ),
    );
    const statuses = opened.map((response) => response.body.status);
    // 10 by count, and 10 × 400 = 4000 stays within the total.
    expect(statuses.filter((status) => status === "approved")).toHaveLength(10);
    expect(statuses.filter((status) => status === "pending")).toHaveLength(90);
    const grant = await call(`${b.url}/v1/grants/${grantId}`, keys.approver);
    expect(grant.body).toMatchObject({
      used_count: 10,
      used_total: 4000,
      remaining_count: 0,
      status: "exhausted",
    });
    const used = await call(`${a.url}/v1/audit?type=grant.used&limit=1000`, keys.admin);
    expect((used.body.data as unknown[]).length).toBe(10);
  });

  it("decides a batch on one instance that the other serves", async () => {
    const pauses = await Promise.all(
      Array.from({ length: 5 }, () =>
        openPause(b.url, keys.agent, { action: { type: "payment", data: { amount: 9_999 } } }),
      ),
    );
    const ids = pauses.map((response) => String(response.body.pause_id));
    const batch = await call(`${a.url}/v1/decisions`, keys.approver, {
      body: { pause_ids: ids, decision: "reject", reason: "not this quarter" },
    });
    expect(batch.status).toBe(200);
    expect(batch.body).toMatchObject({ decided: 5, failed: 0 });
    for (const id of ids) {
      const read = await call(`${b.url}/v1/pauses/${id}`, keys.approver);
      expect(read.body).toMatchObject({ status: "rejected", decision: { reason: "not this quarter" } });
    }
  });
});
