import type { ServerResponse } from "node:http";
import { describe, expect, it } from "vitest";
import { CountersignError } from "../errors/countersign-error.ts";
import type { Pause } from "../protocol/pause.ts";
import { createClient } from "./create-client.ts";
import {
  dropSocket,
  PAUSE_ID,
  type Received,
  scriptedServer,
  sendJson,
  sendProblem,
  wirePause,
} from "./test-support/scripted-server.ts";

function openStream(response: ServerResponse): void {
  response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  response.flushHeaders();
}

function sendEvent(response: ServerResponse, event: string, data: unknown): void {
  response.write(`event: ${event}\ndata: ${typeof data === "string" ? data : JSON.stringify(data)}\n\n`);
}

const decided = (status: Pause["status"] = "approved") =>
  wirePause({
    status,
    decision: {
      status: status as "approved",
      decided_by: { kind: "human", id: "alice@example.com", channel: "web" },
      reason: null,
      data: null,
      decided_at: "2026-11-21T10:05:00.000Z",
    },
  });

async function failure(promise: Promise<unknown>): Promise<CountersignError> {
  const outcome = await promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!("error" in outcome)) throw new Error(`expected a failure, got ${JSON.stringify(outcome.value)}`);
  expect(outcome.error).toBeInstanceOf(CountersignError);
  return outcome.error as CountersignError;
}

function waitParam(received: Received): number {
  return Number(new URL(received.url, "http://x").searchParams.get("wait"));
}

describe("waitForDecision by long-polling", () => {
  it("repeats long-polls while the pause is pending and resolves with the decided pause", async () => {
    const server = await scriptedServer((_request, response, index) => {
      if (index < 2) setTimeout(() => sendJson(response, 200, wirePause()), 50);
      else sendJson(response, 200, decided("rejected"));
    });
    const client = createClient({ baseUrl: server.url, apiKey: "csk_agent" });
    const pause = await client.waitForDecision(PAUSE_ID, { timeoutMs: 10_000 });
    expect(pause.status).toBe("rejected");
    expect(server.received).toHaveLength(3);
    for (const received of server.received) {
      expect(new URL(received.url, server.url).pathname).toBe(`/v1/pauses/${PAUSE_ID}`);
      expect(waitParam(received)).toBeGreaterThanOrEqual(1);
      expect(waitParam(received)).toBeLessThanOrEqual(10);
    }
  });

  it("asks for at most 30 seconds per long-poll when there is no overall limit", async () => {
    const server = await scriptedServer((_request, response) => sendJson(response, 200, decided()));
    const client = createClient({ baseUrl: server.url, apiKey: "csk_agent" });
    await client.waitForDecision(PAUSE_ID);
    expect(waitParam(server.received[0]!)).toBe(30);
  });

  it("reconnects after a dropped connection and a 503, then resolves", async () => {
    const server = await scriptedServer((_request, response, index) => {
      if (index === 0) dropSocket(response);
      else if (index === 1) sendProblem(response, 503, "store_unavailable", "The store is unavailable");
      else sendJson(response, 200, decided());
    });
    const client = createClient({ baseUrl: server.url, apiKey: "csk_agent" });
    const pause = await client.waitForDecision(PAUSE_ID, { timeoutMs: 10_000 });
    expect(pause.status).toBe("approved");
    expect(server.received).toHaveLength(3);
  });

  it("fails at once on not_found and unauthorized", async () => {
    const server = await scriptedServer((_request, response, index) =>
      index === 0
        ? sendProblem(response, 404, "not_found", "No pause")
        : sendProblem(response, 401, "unauthorized", "Bad key"),
    );
    const client = createClient({ baseUrl: server.url, apiKey: "csk_agent" });
    expect((await failure(client.waitForDecision(PAUSE_ID, { timeoutMs: 10_000 }))).code).toBe("not_found");
    expect((await failure(client.waitForDecision(PAUSE_ID, { timeoutMs: 10_000 }))).code).toBe(
      "unauthorized",
    );
    expect(server.received).toHaveLength(2);
  });

  it("fails at once on a reply that does not parse, however approving it looks", async () => {
    const server = await scriptedServer((_request, response) =>
      sendJson(response, 200, { pause_id: PAUSE_ID, status: "approved", approved: true }),
    );
    const client = createClient({ baseUrl: server.url, apiKey: "csk_agent" });
    expect((await failure(client.waitForDecision(PAUSE_ID, { timeoutMs: 10_000 }))).code).toBe(
      "invalid_response",
    );
    expect(server.received).toHaveLength(1);
  });

  it("fails with the last network error once the overall deadline passes", async () => {
    const server = await scriptedServer((_request, response) => dropSocket(response));
    const client = createClient({ baseUrl: server.url, apiKey: "csk_agent" });
    const error = await failure(client.waitForDecision(PAUSE_ID, { timeoutMs: 1_200 }));
    expect(error.code).toBe("network_error");
    expect(error.pauseId).toBe(PAUSE_ID);
    expect(server.received.length).toBeGreaterThanOrEqual(2);
  });

  it("fails with timeout when no decision comes in time", async () => {
    const server = await scriptedServer(() => {});
    const client = createClient({ baseUrl: server.url, apiKey: "csk_agent" });
    const error = await failure(client.waitForDecision(PAUSE_ID, { timeoutMs: 400 }));
    expect(error.code).toBe("timeout");
    expect(error.message).toContain("No decision");
    expect(waitParam(server.received[0]!)).toBe(1);
  });

  it("stops with timeout when the caller aborts", async () => {
    const server = await scriptedServer(() => {});
    const client = createClient({ baseUrl: server.url, apiKey: "csk_agent" });
    const controller = new AbortController();
    const waiting = client.waitForDecision(PAUSE_ID, { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    const error = await failure(waiting);
    expect(error.code).toBe("timeout");
    expect(error.message).toContain("aborted");
  });
});

describe("waitForDecision over Server-Sent Events", () => {
  it("reads status events until the decided event", async () => {
    const server = await scriptedServer((_request, response) => {
      openStream(response);
      sendEvent(response, "status", wirePause());
      response.write(": heartbeat\n\n");
      setTimeout(() => {
        sendEvent(response, "status", decided());
        sendEvent(response, "decided", decided());
        response.end();
      }, 50);
    });
    const client = createClient({ baseUrl: server.url, apiKey: "csk_agent" });
    const pause = await client.waitForDecision(PAUSE_ID, { transport: "sse", timeoutMs: 10_000 });
    expect(pause.status).toBe("approved");
    expect(server.received[0]?.url).toBe(`/v1/pauses/${PAUSE_ID}/events`);
    expect(server.received[0]?.headers.accept).toContain("text/event-stream");
    expect(server.received[0]?.headers.authorization).toBe("Bearer csk_agent");
  });

  it("reconnects when the stream ends or drops before a decision", async () => {
    const server = await scriptedServer((_request, response, index) => {
      openStream(response);
      sendEvent(response, "status", wirePause());
      if (index === 0) response.end();
      else if (index === 1) setTimeout(() => dropSocket(response), 20);
      else sendEvent(response, "decided", decided("expired"));
    });
    const client = createClient({ baseUrl: server.url, apiKey: "csk_agent" });
    const pause = await client.waitForDecision(PAUSE_ID, { transport: "sse", timeoutMs: 10_000 });
    expect(pause.status).toBe("expired");
    expect(server.received).toHaveLength(3);
  });

  it("fails at once on an event that is not this pause", async () => {
    const bad = [
      "{not json",
      JSON.stringify({ status: "approved" }),
      JSON.stringify({ ...decided(), pause_id: "pau_other" }),
    ];
    for (const data of bad) {
      const server = await scriptedServer((_request, response) => {
        openStream(response);
        sendEvent(response, "status", data);
      });
      const client = createClient({ baseUrl: server.url, apiKey: "csk_agent" });
      const error = await failure(client.waitForDecision(PAUSE_ID, { transport: "sse", timeoutMs: 10_000 }));
      expect(error.code).toBe("invalid_response");
    }
  });

  it("fails at once on a decided event for a pending pause", async () => {
    const server = await scriptedServer((_request, response) => {
      openStream(response);
      sendEvent(response, "decided", wirePause());
    });
    const client = createClient({ baseUrl: server.url, apiKey: "csk_agent" });
    const error = await failure(client.waitForDecision(PAUSE_ID, { transport: "sse", timeoutMs: 10_000 }));
    expect(error.code).toBe("invalid_response");
  });

  it("fails at once on not_found and on a reply that is not an event stream", async () => {
    const server = await scriptedServer((_request, response, index) =>
      index === 0 ? sendProblem(response, 404, "not_found", "No pause") : sendJson(response, 200, decided()),
    );
    const client = createClient({ baseUrl: server.url, apiKey: "csk_agent" });
    const options = { transport: "sse", timeoutMs: 10_000 } as const;
    expect((await failure(client.waitForDecision(PAUSE_ID, options))).code).toBe("not_found");
    expect((await failure(client.waitForDecision(PAUSE_ID, options))).code).toBe("invalid_response");
    expect(server.received).toHaveLength(2);
  });

  it("fails with timeout when an open stream brings no decision in time", async () => {
    const server = await scriptedServer((_request, response) => {
      openStream(response);
      sendEvent(response, "status", wirePause());
    });
    const client = createClient({ baseUrl: server.url, apiKey: "csk_agent" });
    const error = await failure(client.waitForDecision(PAUSE_ID, { transport: "sse", timeoutMs: 400 }));
    expect(error.code).toBe("timeout");
    expect(server.received).toHaveLength(1);
  });

  it("retries a stream whose head never arrives, then fails with that timeout at the deadline", async () => {
    const server = await scriptedServer(() => {});
    const client = createClient({ baseUrl: server.url, apiKey: "csk_agent", timeoutMs: 200 });
    const error = await failure(client.waitForDecision(PAUSE_ID, { transport: "sse", timeoutMs: 1_500 }));
    expect(error.code).toBe("timeout");
    expect(error.message).toContain("timed out after 200 ms");
    expect(server.received.length).toBeGreaterThanOrEqual(2);
  });
});
