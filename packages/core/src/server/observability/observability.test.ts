import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { trace } from "@opentelemetry/api";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../testing/test-server.ts";
import type { Logger } from "../service-context.ts";

type Line = { level: "info" | "error"; message: string; fields: Record<string, unknown> };

const lines: Line[] = [];
const capture: Logger = {
  info: (message, fields = {}) => lines.push({ level: "info", message, fields }),
  error: (message, fields = {}) => lines.push({ level: "error", message, fields }),
};
const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });

let t: TestServer;
let receiver: Server;
let hookUrl: string;
beforeAll(async () => {
  trace.setGlobalTracerProvider(provider);
  receiver = createServer((_request, response) => response.writeHead(204).end());
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
  t = await startTestServer({ serverOptions: { log: capture, background: false } });
});
afterAll(async () => {
  await t.close();
  receiver.close();
  trace.disable();
});

const call = (path: string, key: string | null, init: RequestInit = {}) =>
  fetch(`${t.url}${path}`, {
    ...init,
    headers: {
      ...(key && { authorization: `Bearer ${key}` }),
      ...(init.body !== undefined && { "content-type": "application/json" }),
    },
  });

async function metrics(): Promise<string> {
  const response = await call("/metrics", t.adminKey);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  return response.text();
}

/** One sample's value, 0 when the series is not there yet. */
function sample(text: string, series: string): number {
  const line = text.split("\n").find((candidate) => candidate.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

/** The webhook queue depth a scrape shows; the gauge must be there on every scrape. */
function queueDepth(text: string): number {
  expect(text).toMatch(/^countersign_webhook_queue_depth \S+$/m);
  return sample(text, "countersign_webhook_queue_depth");
}

describe("a decision seen through the server's logs, metrics and traces", () => {
  let pauseId: string;
  let before: string;
  let queued: string;
  let after: string;

  beforeAll(async () => {
    before = await metrics();
    const opened = await call("/v1/pauses", t.agentKey, {
      method: "POST",
      body: JSON.stringify({
        agent_id: "billing-agent",
        action: { type: "refund", title: "Refund order 42", data: { amount: 120 } },
        webhook_url: hookUrl,
      }),
    });
    expect(opened.status).toBe(202);
    pauseId = ((await opened.json()) as { pause_id: string }).pause_id;
    await t.approve(pauseId);
    queued = await metrics();
    await t.server.runBackgroundOnce();
    expect((await call(`/v1/pauses/${pauseId}/claim`, t.agentKey, { method: "POST" })).status).toBe(200);
    after = await metrics();
  });

  it("counts the pause opened and decided, the human's time to decide and the webhook sent", () => {
    const opened = 'countersign_pauses_opened_total{action_type="refund",status="pending"}';
    const decided = 'countersign_pauses_decided_total{action_type="refund",outcome="approved"}';
    const decisionCount = 'countersign_human_decision_seconds_count{action_type="refund",outcome="approved"}';
    const delivered = 'countersign_webhook_attempts_total{outcome="delivered"}';
    expect(sample(before, opened)).toBe(0);
    expect(sample(before, decided)).toBe(0);
    expect(sample(after, opened)).toBe(1);
    expect(sample(after, decided)).toBe(1);
    expect(sample(after, decisionCount)).toBe(1);
    expect(sample(after, delivered)).toBe(1);
    expect(queueDepth(before)).toBe(0);
    expect(queueDepth(queued)).toBe(1);
    expect(queueDepth(after)).toBe(0);
    expect(after).toContain("# TYPE countersign_waiters gauge");
    expect(after).toContain("# TYPE countersign_store_errors_total counter");
    expect(
      sample(
        after,
        'countersign_http_request_duration_seconds_count{method="POST",route="/v1/pauses",status="202"}',
      ),
    ).toBe(1);
  });

  it("serves the metrics to admin keys only", async () => {
    expect((await call("/metrics", null)).status).toBe(401);
    expect((await call("/metrics", t.approverKey)).status).toBe(403);
    expect((await call("/metrics", t.agentKey)).status).toBe(403);
  });

  it("writes one line per request, with its route pattern, status, latency and key id, and no secret", async () => {
    const requests = lines.filter((line) => line.message === "request");
    const decision = requests.find((line) => line.fields.route === "/v1/pauses/:pause_id/decision");
    expect(decision?.fields).toMatchObject({
      method: "POST",
      status: 200,
      request_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      key_id: expect.any(String),
      latency_ms: expect.any(Number),
    });
    // The approval, the open, the claim and the three scrapes: one line each.
    expect(requests.filter((line) => line.fields.route === "/v1/pauses")).toHaveLength(1);
    expect(requests.filter((line) => line.fields.route === "/v1/pauses/:pause_id/claim")).toHaveLength(1);
    const logged = JSON.stringify(lines);
    for (const secret of [t.agentKey, t.approverKey, t.adminKey, t.proofSecret, t.webhookSecret]) {
      expect(logged).not.toContain(secret);
    }
  });

  it("keeps a caller's request id and answers with it", async () => {
    const response = await fetch(`${t.url}/healthz`, { headers: { "x-request-id": "trace-abc-123" } });
    expect(response.headers.get("x-request-id")).toBe("trace-abc-123");
    const made = await fetch(`${t.url}/healthz`, { headers: { "x-request-id": "not ok\u00e9" } });
    expect(made.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(lines.at(-1)?.fields).toMatchObject({
      route: "/healthz",
      request_id: made.headers.get("x-request-id"),
    });
  });

  it("records a span around opening, deciding, claiming and delivering the webhook", () => {
    const spans = exporter.getFinishedSpans();
    const named = (name: string) => spans.filter((span) => span.name === name);
    expect(named("countersign.pause.open")[0]?.attributes).toMatchObject({
      "countersign.pause_id": pauseId,
      "countersign.action_type": "refund",
      "countersign.status": "pending",
    });
    expect(named("countersign.pause.decide")[0]?.attributes).toMatchObject({
      "countersign.pause_id": pauseId,
      "countersign.status": "approved",
    });
    expect(named("countersign.pause.claim")[0]?.attributes).toMatchObject({
      "countersign.pause_id": pauseId,
    });
    expect(named("countersign.webhook.deliver")[0]?.attributes).toMatchObject({
      "countersign.pause_id": pauseId,
      "countersign.delivery_status": "delivered",
      "http.response.status_code": 204,
    });
  });

  it("marks a refused operation's span as an error, with its code", async () => {
    const again = await call(`/v1/pauses/${pauseId}/claim`, t.agentKey, { method: "POST" });
    expect(again.status).toBe(409);
    const claims = exporter.getFinishedSpans().filter((span) => span.name === "countersign.pause.claim");
    expect(claims.at(-1)?.status.code).toBe(2);
    expect(claims.at(-1)?.attributes["countersign.error_code"]).toBe("already_claimed");
  });
});

describe("the webhook queue depth at /metrics", () => {
  let clock = Date.parse("2030-01-01T00:00:00.000Z");
  let server: TestServer;
  let receiver: Server;
  let base: string;
  beforeAll(async () => {
    // One receiver that takes its deliveries, one that is down for good, one that is gone (410).
    receiver = createServer((request, response) => {
      const status = request.url === "/ok" ? 204 : request.url === "/gone" ? 410 : 503;
      response.writeHead(status).end();
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    server = await startTestServer({ now: () => new Date(clock), serverOptions: { background: false } });
  });
  afterAll(async () => {
    await server.close();
    receiver.close();
  });

  const scrape = async () => {
    const response = await fetch(`${server.url}/metrics`, {
      headers: { authorization: `Bearer ${server.adminKey}` },
    });
    expect(response.status).toBe(200);
    return response.text();
  };

  async function approvedWithWebhook(path: string): Promise<void> {
    const opened = await fetch(`${server.url}/v1/pauses`, {
      method: "POST",
      headers: { authorization: `Bearer ${server.agentKey}`, "content-type": "application/json" },
      body: JSON.stringify({
        agent_id: "billing-agent",
        action: { type: "refund", title: `Refund via ${path}` },
        webhook_url: `${base}${path}`,
      }),
    });
    expect(opened.status).toBe(202);
    await server.approve(((await opened.json()) as { pause_id: string }).pause_id);
  }

  it("counts every delivery still to send, and none once each is delivered, refused for good or given up", async () => {
    expect(queueDepth(await scrape())).toBe(0);
    await approvedWithWebhook("/ok");
    await approvedWithWebhook("/down");
    await approvedWithWebhook("/gone");
    expect(queueDepth(await scrape())).toBe(3);

    // First attempts: delivered, disabled by the 410, and one waiting to retry.
    await server.server.runBackgroundOnce();
    const afterFirst = await scrape();
    expect(sample(afterFirst, 'countersign_webhook_attempts_total{outcome="delivered"}')).toBe(1);
    expect(sample(afterFirst, 'countersign_webhook_attempts_total{outcome="disabled"}')).toBe(1);
    expect(queueDepth(afterFirst)).toBe(1);

    // The retry schedule runs out after about 27 hours: the delivery is given up as failed.
    for (let retry = 0; retry < 7; retry++) {
      clock += 12 * 3600 * 1000;
      await server.server.runBackgroundOnce();
      const now = await scrape();
      if (sample(now, 'countersign_webhook_attempts_total{outcome="failed"}') === 0) {
        expect(queueDepth(now)).toBe(1);
      }
    }
    const givenUp = await scrape();
    expect(sample(givenUp, 'countersign_webhook_attempts_total{outcome="retry"}')).toBe(7);
    expect(sample(givenUp, 'countersign_webhook_attempts_total{outcome="failed"}')).toBe(1);
    expect(queueDepth(givenUp)).toBe(0);
  });
});
