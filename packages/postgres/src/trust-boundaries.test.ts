import { issueApiKey, type Store } from "@countersign/core/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresStore } from "./postgres-store.ts";
import { call, createKeys, type Keys, openPause } from "./test-support/http-helpers.ts";
import { type ServerProcess, startServerProcess } from "./test-support/server-process.ts";
import { createTestDatabase, type TestDatabase } from "./test-support/test-database.ts";

// The trust boundaries of packages/core/src/server/trust-boundaries.test.ts, on Postgres, across two
// real server processes: what one instance is told, every instance enforces.

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

describe("trust boundaries on Postgres", () => {
  it("holds an agent key to its agent ids on every instance", async () => {
    const { key } = await issueApiKey(store, {
      role: "agent",
      identity: "owner-b@example.com",
      agentIds: ["agent-b"],
      now: new Date(),
    });
    for (const server of [a, b]) {
      const posing = await openPause(server.url, key, { agent_id: "trusted-bot" });
      expect(posing.status).toBe(403);
      expect(posing.body.errors).toEqual([{ path: "agent_id", message: "not one of agent-b" }]);
      expect((await openPause(server.url, key, { agent_id: "agent-b" })).status).toBe(202);
    }
  });

  it("drops an agent-supplied e-mail address that belongs to no approver", async () => {
    const opened = await openPause(a.url, keys.agent, {
      recipients: [{ channel: "email", target: "mallory@attacker.example" }],
    });
    expect(opened.status).toBe(202);
    expect(opened.body.recipients).toEqual([]);
    expect(opened.body.warnings).toEqual([expect.objectContaining({ path: "recipients.0" })]);
  });

  it("ends an event stream on one instance within 5 s of the key's revocation through the other", async () => {
    const watcher = await issueApiKey(store, {
      role: "approver",
      identity: "watcher@example.com",
      now: new Date(),
    });
    const pause = await openPause(b.url, keys.agent);
    const response = await fetch(`${a.url}/v1/pauses/${pause.body.pause_id}/events`, {
      headers: { authorization: `Bearer ${watcher.key}` },
    });
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = (await reader.read()).value ?? "";
    expect(text).toContain("event: status");
    await store.revokeApiKey(watcher.record.keyId, new Date().toISOString());
    const revokedAt = Date.now();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += value;
    }
    expect(Date.now() - revokedAt).toBeLessThan(5_000);
    expect(text).toContain("event: revoked");
    expect((await call(`${b.url}/v1/pauses`, watcher.key)).status).toBe(401);
  });

  it("is ready only when a write can be made durable", async () => {
    for (const server of [a, b]) {
      expect((await call(`${server.url}/readyz`, "")).status).toBe(200);
    }
  });
});
