import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, startServe, stop } from "../test-support/cli-process.ts";

let dataDir: string;
let adminKey: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "countersign-serve-logs-"));
  const created = runCli([
    "keys",
    "create",
    "--role",
    "admin",
    "--identity",
    "ops@example.com",
    "--data-dir",
    dataDir,
    "--init",
  ]);
  expect(created.code).toBe(0);
  adminKey = JSON.parse(created.stdout).key;
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

async function until(check: () => boolean): Promise<void> {
  for (let tries = 0; tries < 100 && !check(); tries++)
    await new Promise((resolve) => setTimeout(resolve, 50));
}

describe("countersign serve's logs and metrics", () => {
  it("logs one JSON line per request through pino, with no key, and serves /metrics to the admin key", async () => {
    const { url, child, stderr } = await startServe(["--data-dir", dataDir], {
      COUNTERSIGN_LOG_LEVEL: "info",
    });
    try {
      const metrics = await fetch(`${url}/metrics`, {
        headers: { authorization: `Bearer ${adminKey}`, "x-request-id": "scrape-1" },
      });
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toContain("# TYPE countersign_pauses_decided_total counter");
      expect((await fetch(`${url}/metrics`)).status).toBe(401);
      const requests = () =>
        stderr()
          .split("\n")
          .filter((line) => line.startsWith("{"))
          .map((line) => JSON.parse(line) as Record<string, unknown>)
          .filter((line) => line.message === "request");
      await until(() => requests().length >= 2);
      expect(requests()).toEqual([
        expect.objectContaining({
          level: "info",
          request_id: "scrape-1",
          route: "/metrics",
          status: 200,
          key_id: expect.any(String),
        }),
        expect.objectContaining({ level: "info", route: "/metrics", status: 401 }),
      ]);
      expect(stderr()).not.toContain(adminKey);
    } finally {
      await stop(child);
    }
  }, 60_000);

  it("logs nothing below the configured level, and refuses a level it does not know", async () => {
    const { url, child, stderr } = await startServe(["--data-dir", dataDir, "--log-level", "error"]);
    try {
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(stderr()).not.toContain('"message":"request"');
    } finally {
      await stop(child);
    }
    const wrong = runCli(["serve", "--data-dir", dataDir], { COUNTERSIGN_LOG_LEVEL: "loud" });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain(
      "COUNTERSIGN_LOG_LEVEL: loud is not one of fatal, error, warn, info, debug, trace, silent",
    );
  }, 60_000);

  it("serves /metrics without a key on --metrics-port only, and nothing else there", async () => {
    const { url, child, stdout } = await startServe(["--data-dir", dataDir, "--metrics-port", "0"]);
    try {
      await until(() => /Metrics without a key on (\S+)/.test(stdout()));
      const metricsUrl = /Metrics without a key on (\S+)/.exec(stdout())![1]!;
      expect(metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      expect(metricsUrl).not.toBe(`${url}/metrics`);
      const scraped = await fetch(metricsUrl);
      expect(scraped.status).toBe(200);
      expect(await scraped.text()).toContain("# TYPE countersign_waiters gauge");
      expect((await fetch(metricsUrl.replace("/metrics", "/v1/keys"))).status).toBe(404);
      // The API's own /metrics still wants the admin key.
      expect((await fetch(`${url}/metrics`)).status).toBe(401);
    } finally {
      await stop(child);
    }
  });
});
