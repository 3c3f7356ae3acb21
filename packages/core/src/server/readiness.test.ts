import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../testing/test-server.ts";
import { call } from "./server-test-helpers.ts";

let t: TestServer;
let locker: ChildProcess | null = null;
afterEach(async () => {
  locker?.kill("SIGKILL");
  locker = null;
  await t.close();
});

const open = () => call(t, "POST", "/v1/pauses", { body: { agent_id: "a", action: { type: "payment" } } });

/**
 * Another process that holds the database's write lock until it is killed. It
 * waits up to 10 s for the lock itself: the server may be mid-write (a
 * background sweep) at the moment it asks.
 */
async function holdWriteLock(file: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      "-e",
      `const { DatabaseSync } = require("node:sqlite");
       const db = new DatabaseSync(process.argv[1], { timeout: 10000 });
       db.exec("BEGIN IMMEDIATE");
       db.exec("INSERT INTO readiness_probe (id, at) VALUES (1, 'held') ON CONFLICT (id) DO UPDATE SET at = 'held'");
       console.log("locked");
       setInterval(() => {}, 1000);`,
      file,
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const locked = once(child.stdout!, "data").then(([chunk]) => String(chunk));
  const exited = once(child, "exit").then(
    ([code]) => `the locking process exited (${code}) before it held the lock`,
  );
  expect(await Promise.race([locked, exited])).toContain("locked");
  return child;
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

describe("readiness tells the truth", () => {
  it("is 503 when the database file is deleted, and opens nothing into the void", async () => {
    t = await startTestServer();
    expect((await call(t, "GET", "/readyz", { key: null })).status).toBe(200);
    const file = join(t.dataDir, "countersign.db");
    await rm(file);
    const ready = await call(t, "GET", "/readyz", { key: null });
    expect(ready.status).toBe(503);
    expect(String(ready.body.detail)).toContain("was deleted");
    const opened = await open();
    expect(opened.status).toBe(503);
    expect(opened.body.code).toBe("store_unavailable");
    await expect(stat(file)).rejects.toThrow();
  });

  it("is 503 within about a second while another process holds the write lock; /healthz stays fast", async () => {
    t = await startTestServer();
    const file = join(t.dataDir, "countersign.db");
    locker = await holdWriteLock(file);
    const ready = await timed(() => call(t, "GET", "/readyz", { key: null }));
    expect(ready.value.status).toBe(503);
    expect(ready.ms).toBeLessThan(2_500);
    const health = await timed(() => call(t, "GET", "/healthz", { key: null }));
    expect(health.value.status).toBe(200);
    expect(health.ms).toBeLessThan(1_000);
    locker.kill("SIGKILL");
    await once(locker, "exit");
    locker = null;
    expect((await call(t, "GET", "/readyz", { key: null })).status).toBe(200);
    expect((await open()).status).toBe(202);
  });

  it("waits out a short lock instead of failing the write", async () => {
    t = await startTestServer();
    locker = await holdWriteLock(join(t.dataDir, "countersign.db"));
    const pending = open();
    setTimeout(() => locker?.kill("SIGKILL"), 300);
    expect((await pending).status).toBe(202);
  });

  it("creates the database file owner-only", async () => {
    t = await startTestServer();
    expect((await stat(join(t.dataDir, "countersign.db"))).mode & 0o777).toBe(0o600);
  });
});
