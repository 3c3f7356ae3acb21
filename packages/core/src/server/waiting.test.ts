import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Pause } from "../protocol/pause.ts";
import { startTestServer, type TestServer } from "../testing/test-server.ts";
import { call, seedRequest } from "./server-test-helpers.ts";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.close();
});

describe("waiting for a decision", () => {
  it("long-poll returns as soon as the pause is decided, with the proof", async () => {
    const pause = await call(t, "POST", "/v1/pauses", { body: seedRequest() });
    const waiting = call(t, "GET", `/v1/pauses/${pause.body.pause_id}?wait=30`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await t.approve(String(pause.body.pause_id));
    const started = Date.now();
    const result = await waiting;
    expect(Date.now() - started).toBeLessThan(5000);
    expect(result.body.status).toBe("approved");
    expect((result.body as unknown as Pause).proof?.decision).toBe("approved");
  });

  it("long-poll returns the pending pause when the wait ends first", async () => {
    const pause = await call(t, "POST", "/v1/pauses", { body: seedRequest() });
    const result = await call(t, "GET", `/v1/pauses/${pause.body.pause_id}?wait=1`);
    expect(result.status).toBe(200);
    expect(result.body.status).toBe("pending");
  });

  it("frees a long-poll's waiter as soon as its client goes away", async () => {
    const waiters = async () => {
      const response = await fetch(`${t.url}/metrics`, {
        headers: { authorization: `Bearer ${t.adminKey}` },
      });
      return Number(/^countersign_waiters (\d+)/m.exec(await response.text())?.[1]);
    };
    const eventually = async (check: () => Promise<boolean>) => {
      for (let tries = 0; tries < 100 && !(await check()); tries++)
        await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await check()).toBe(true);
    };
    const pause = await call(t, "POST", "/v1/pauses", { body: seedRequest() });
    const before = await waiters();
    const client = new AbortController();
    const waiting = fetch(`${t.url}/v1/pauses/${pause.body.pause_id}?wait=60`, {
      headers: { authorization: `Bearer ${t.agentKey}` },
      signal: client.signal,
    }).catch((error: unknown) => error);
    await eventually(async () => (await waiters()) === before + 1);
    client.abort();
    expect(await waiting).toMatchObject({ name: "AbortError" });
    await eventually(async () => (await waiters()) === before);
    // The pause is untouched, and a new long-poll still wakes on its decision.
    const again = call(t, "GET", `/v1/pauses/${pause.body.pause_id}?wait=30`);
    await eventually(async () => (await waiters()) === before + 1);
    await t.approve(String(pause.body.pause_id));
    expect((await again).body.status).toBe("approved");
  });

  it("streams status events and ends with decided", async () => {
    const pause = await call(t, "POST", "/v1/pauses", { body: seedRequest() });
    const response = await fetch(`${t.url}/v1/pauses/${pause.body.pause_id}/events`, {
      headers: { authorization: `Bearer ${t.agentKey}` },
    });
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const reading = response.text();
    await new Promise((resolve) => setTimeout(resolve, 100));
    await t.reject(String(pause.body.pause_id), "Not this quarter");
    const text = await reading;
    const events = [...text.matchAll(/^event: (\w+)$/gm)].map((match) => match[1]);
    expect(events[0]).toBe("status");
    expect(events.at(-1)).toBe("decided");
    const last = text
      .trim()
      .split("\n")
      .findLast((line) => line.startsWith("data: "))!;
    expect(JSON.parse(last.slice(6))).toMatchObject({
      status: "rejected",
      decision: { reason: "Not this quarter" },
    });
  });
});
