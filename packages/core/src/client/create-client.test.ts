import { describe, expect, it } from "vitest";
import { CountersignError } from "../errors/countersign-error.ts";
import { createClient } from "./create-client.ts";
import {
  dropSocket,
  PAUSE_ID,
  type Script,
  scriptedServer,
  sendJson,
  sendProblem,
  wirePause,
} from "./test-support/scripted-server.ts";

const request = { agent_id: "billing-agent", action: { type: "payment", data: { amount: 12450 } } };

async function failure(promise: Promise<unknown>): Promise<CountersignError> {
  const outcome = await promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!("error" in outcome)) throw new Error(`expected a failure, got ${JSON.stringify(outcome.value)}`);
  expect(outcome.error).toBeInstanceOf(CountersignError);
  return outcome.error as CountersignError;
}

describe("createClient requests", () => {
  it("sends the API key, the user agent, the idempotency key and the JSON body, and parses the pause", async () => {
    const server = await scriptedServer((_request, response) => sendJson(response, 202, wirePause()));
    const client = createClient({
      baseUrl: `${server.url}/`,
      apiKey: "csk_agent",
      userAgent: "billing-bot/1.0",
    });

    const pause = await client.createPause(request, { idempotencyKey: "call-42" });

    expect(pause.pause_id).toBe(PAUSE_ID);
    expect(pause.status).toBe("pending");
    const [sent] = server.received;
    expect(sent?.method).toBe("POST");
    expect(sent?.url).toBe("/v1/pauses");
    expect(sent?.headers.authorization).toBe("Bearer csk_agent");
    expect(sent?.headers["user-agent"]).toBe("billing-bot/1.0");
    expect(sent?.headers["idempotency-key"]).toBe("call-42");
    expect(sent?.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(sent?.body ?? "")).toEqual(request);
  });

  it("uses an injected fetch", async () => {
    const calls: string[] = [];
    const client = createClient({
      baseUrl: "http://countersign.test",
      apiKey: "csk_agent",
      fetch: async (input) => {
        calls.push(String(input));
        return Response.json({ keys: [] });
      },
    });
    expect(await client.getKeys()).toEqual({ keys: [] });
    expect(calls).toEqual(["http://countersign.test/v1/keys"]);
  });

  it("sends list filters as query parameters and parses the page", async () => {
    const server = await scriptedServer((_request, response) =>
      sendJson(response, 200, { object: "list", data: [wirePause()], has_more: true, next_cursor: "c2" }),
    );
    const client = createClient({ baseUrl: server.url, apiKey: "csk_approver" });
    const page = await client.listPauses({
      status: "pending",
      agent_id: "billing-agent",
      action_type: "payment",
      limit: 5,
      cursor: "c1",
    });
    expect(page.data[0]?.pause_id).toBe(PAUSE_ID);
    expect(page.next_cursor).toBe("c2");
    const url = new URL(server.received[0]?.url ?? "", server.url);
    expect(url.pathname).toBe("/v1/pauses");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      status: "pending",
      agent_id: "billing-agent",
      action_type: "payment",
      limit: "5",
      cursor: "c1",
    });
  });

  it("posts decisions, claims and cancellations to the pause's paths", async () => {
    const server = await scriptedServer((received, response) => {
      if (received.url.endsWith("/claim")) {
        sendJson(response, 200, {
          object: "claim",
          pause_id: PAUSE_ID,
          proof_id: "prf_1",
          claimed_at: "2026-11-21T10:05:00.000Z",
        });
      } else sendJson(response, 200, wirePause({ status: "cancelled" }));
    });
    const client = createClient({ baseUrl: server.url, apiKey: "csk_key" });
    await client.decide(PAUSE_ID, { decision: "approve", reason: "ok", data: { amount: 1 } });
    const claim = await client.claim(PAUSE_ID, { proofId: "prf_1" });
    await client.cancel(PAUSE_ID, { reason: "not needed" });
    await client.claim(PAUSE_ID);

    expect(claim.proof_id).toBe("prf_1");
    expect(server.received.map((entry) => [entry.method, entry.url, JSON.parse(entry.body)])).toEqual([
      ["POST", `/v1/pauses/${PAUSE_ID}/decision`, { decision: "approve", reason: "ok", data: { amount: 1 } }],
      ["POST", `/v1/pauses/${PAUSE_ID}/claim`, { proof_id: "prf_1" }],
      ["POST", `/v1/pauses/${PAUSE_ID}/cancel`, { reason: "not needed" }],
      ["POST", `/v1/pauses/${PAUSE_ID}/claim`, {}],
    ]);
  });

  it("long-polls with ?wait=N and lets the request run for the wait plus the usual timeout", async () => {
    const server = await scriptedServer((_request, response) => {
      setTimeout(() => sendJson(response, 200, wirePause({ status: "rejected" })), 600);
    });
    const client = createClient({ baseUrl: server.url, apiKey: "csk_agent", timeoutMs: 300 });
    const pause = await client.getPause(PAUSE_ID, { waitSeconds: 2 });
    expect(pause.status).toBe("rejected");
    expect(server.received[0]?.url).toBe(`/v1/pauses/${PAUSE_ID}?wait=2`);
  });

  it("refuses a wait the server would not honour, without a request", async () => {
    const server = await scriptedServer((_request, response) => sendJson(response, 200, wirePause()));
    const client = createClient({ baseUrl: server.url, apiKey: "csk_agent" });
    expect((await failure(client.getPause(PAUSE_ID, { waitSeconds: 61 }))).code).toBe("invalid_request");
    expect((await failure(client.getPause(PAUSE_ID, { waitSeconds: 1.5 }))).code).toBe("invalid_request");
    expect(server.received).toHaveLength(0);
  });
});

describe("error mapping (fail closed)", () => {
  it("turns a problem+json reply into a CountersignError with the server's code, detail, status and pause id", async () => {
    const server = await scriptedServer((_request, response) =>
      sendProblem(response, 409, "already_claimed", "Pause was already claimed", { pause_id: PAUSE_ID }),
    );
    const client = createClient({ baseUrl: server.url, apiKey: "csk_agent" });
    const error = await failure(client.claim(PAUSE_ID));
    expect(error.code).toBe("already_claimed");
    expect(error.message).toBe("Pause was already claimed");
    expect(error.status).toBe(409);
    expect(error.pauseId).toBe(PAUSE_ID);
  });

  it("keeps field errors of an invalid_request", async () => {
    const server = await scriptedServer((_request, response) =>
      sendProblem(response, 400, "invalid_request", "Invalid body: action.type: required", {
        errors: [{ path: "action.type", message: "required" }],
      }),
    );
    const client = createClient({ baseUrl: server.url, apiKey: "csk_agent" });
    const error = await failure(client.createPause(request));
    expect(error.code).toBe("invalid_request");
    expect(error.errors).toEqual([{ path: "action.type", message: "required" }]);
    expect(server.received).toHaveLength(1);
  });

  it("maps codes it does not know to invalid_request (4xx) and server_error (5xx)", async () => {
    const server = await scriptedServer((_request, response, index) =>
      index === 0
        ? sendProblem(response, 422, "brand_new_code", "Something new")
        : sendProblem(response, 500, "brand_new_failure", "Something broke"),
    );
    const client = createClient({ baseUrl: server.url, apiKey: "csk_approver" });
    const client4xx = await failure(client.decide(PAUSE_ID, { decision: "approve" }));
    expect([client4xx.code, client4xx.status]).toEqual(["invalid_request", 422]);
    const client5xx = await failure(client.decide(PAUSE_ID, { decision: "approve" }));
    expect([client5xx.code, client5xx.status]).toEqual(["server_error", 500]);
  });

  it("maps replies without a problem body by status, keeping store_unavailable when a 503 says so", async () => {
    const replies: [number, string][] = [
      [500, "<html>Internal Server Error</html>"],
      [503, '{"status":"unavailable","reason":"store_unavailable"}'],
      [502, "Bad Gateway"],
      [404, "<html>Not Found</html>"],
      [401, ""],
    ];
    const server = await scriptedServer((_request, response, index) => {
      const [status, body] = replies[index]!;
      response.writeHead(status, { "content-type": "text/html" });
      response.end(body);
    });
    const client = createClient({ baseUrl: server.url, apiKey: "csk_agent" });
    const codes: string[] = [];
    for (let index = 0; index < replies.length; index++) {
      codes.push((await failure(client.cancel(PAUSE_ID))).code);
    }
    expect(codes).toEqual(["server_error", "store_unavailable", "server_error", "not_found", "unauthorized"]);
  });

  it("never returns a 2xx body that does not parse: invalid_response", async () => {
    const bodies = [
      '{"status":"approved","approved":true}',
      "approved",
      JSON.stringify(wirePause({ status: "yes" as "approved" })),
    ];
    const server = await scriptedServer((_request, response, index) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(bodies[index]);
    });
    const client = createClient({ baseUrl: server.url, apiKey: "csk_agent" });
    for (let index = 0; index < bodies.length; index++) {
      const error = await failure(client.getPause(PAUSE_ID));
      expect(error.code).toBe("invalid_response");
    }
    expect(server.received).toHaveLength(bodies.length);
  });

  it("rejects a reply about another pause", async () => {
    const server = await scriptedServer((_request, response) =>
      sendJson(response, 200, wirePause({ pause_id: "pau_someoneelse00000000000000", status: "approved" })),
    );
    const client = createClient({ baseUrl: server.url, apiKey: "csk_agent" });
    expect((await failure(client.getPause(PAUSE_ID))).code).toBe("invalid_response");
  });

  it("reports an unreachable server as network_error", async () => {
    const server = await scriptedServer(() => {});
    await server.close();
    const client = createClient({ baseUrl: server.url, apiKey: "csk_agent" });
    const error = await failure(client.getKeys());
    expect(error.code).toBe("network_error");
    expect(error.message).toContain("GET /v1/keys");
  });

  it("reports a request that gets no answer in time as timeout", async () => {
    const server = await scriptedServer(() => {});
    const client = createClient({ baseUrl: server.url, apiKey: "csk_agent", timeoutMs: 200 });
    const error = await failure(client.getPause(PAUSE_ID));
    expect(error.code).toBe("timeout");
    expect(error.pauseId).toBe(PAUSE_ID);
    // Reads retry network errors only: a slow server is not asked twice.
    expect(server.received).toHaveLength(1);
  });

  it("times out a reply whose body never finishes", async () => {
    const server = await scriptedServer((_request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.write('{"object":"pause",');
    });
    const client = createClient({ baseUrl: server.url, apiKey: "csk_agent", timeoutMs: 200 });
    expect((await failure(client.getPause(PAUSE_ID))).code).toBe("timeout");
  });

  it("reports an aborted call as timeout and does not retry it", async () => {
    const server = await scriptedServer(() => {});
    const client = createClient({ baseUrl: server.url, apiKey: "csk_agent" });
    const controller = new AbortController();
    const pending = client.createPause(request, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error("user gave up")), 100);
    const error = await failure(pending);
    expect(error.code).toBe("timeout");
    expect(error.message).toContain("aborted");
    expect(server.received).toHaveLength(1);
  });
});

describe("retries", () => {
  it("reads retry once after the connection drops", async () => {
    const server = await scriptedServer((_request, response, index) =>
      index === 0 ? dropSocket(response) : sendJson(response, 200, { keys: [] }),
    );
    const client = createClient({ baseUrl: server.url, apiKey: "csk_agent" });
    expect(await client.getKeys()).toEqual({ keys: [] });
    expect(server.received).toHaveLength(2);
  });

  it("reads give up with network_error after the second dropped connection", async () => {
    const server = await scriptedServer((_request, response) => dropSocket(response));
    const client = createClient({ baseUrl: server.url, apiKey: "csk_agent" });
    const error = await failure(client.getPause(PAUSE_ID));
    expect(error.code).toBe("network_error");
    expect(server.received).toHaveLength(2);
  });

  it("creating retries once after a 5xx, a dropped connection or a timeout, with the same idempotency key", async () => {
    const firstFailures: Script[] = [
      (_request, response) => sendProblem(response, 500, "internal_error", "boom"),
      (_request, response) => dropSocket(response),
      () => {},
    ];
    for (const firstFailure of firstFailures) {
      const server = await scriptedServer((received, response, index) =>
        index === 0 ? firstFailure(received, response, index) : sendJson(response, 200, wirePause()),
      );
      const client = createClient({ baseUrl: server.url, apiKey: "csk_agent", timeoutMs: 300 });
      const pause = await client.createPause(request);
      expect(pause.pause_id).toBe(PAUSE_ID);
      const [first, second] = server.received;
      expect(server.received).toHaveLength(2);
      expect(first?.headers["idempotency-key"]).toMatch(/^[0-9a-f-]{36}$/);
      expect(second?.headers["idempotency-key"]).toBe(first?.headers["idempotency-key"]);
      expect(second?.body).toBe(first?.body);
    }
  });

  it("creating fails after two 503s with the server's code, and each call gets its own key", async () => {
    const server = await scriptedServer((_request, response) =>
      sendProblem(response, 503, "store_unavailable", "The store is unavailable"),
    );
    const client = createClient({ baseUrl: server.url, apiKey: "csk_agent" });
    expect((await failure(client.createPause(request))).code).toBe("store_unavailable");
    expect((await failure(client.createPause(request, { idempotencyKey: "mine" }))).code).toBe(
      "store_unavailable",
    );
    const keys = server.received.map((entry) => entry.headers["idempotency-key"]);
    expect(keys).toHaveLength(4);
    expect(keys[0]).toBe(keys[1]);
    expect(keys[2]).not.toBe(keys[0]);
    expect(keys.slice(2)).toEqual(["mine", "mine"]);
  });

  it("never retries a 4xx on create, nor anything on decide, claim or cancel", async () => {
    const server = await scriptedServer((received, response) => {
      if (received.url === "/v1/pauses") sendProblem(response, 409, "idempotency_conflict", "Key reused");
      else if (received.url.endsWith("/claim")) dropSocket(response);
      else sendProblem(response, 500, "internal_error", "boom");
    });
    const client = createClient({ baseUrl: server.url, apiKey: "csk_agent" });
    expect((await failure(client.createPause(request))).code).toBe("idempotency_conflict");
    expect((await failure(client.claim(PAUSE_ID))).code).toBe("network_error");
    expect((await failure(client.decide(PAUSE_ID, { decision: "reject" }))).code).toBe("internal_error");
    expect((await failure(client.cancel(PAUSE_ID))).code).toBe("internal_error");
    expect(server.received.map((entry) => entry.url)).toEqual([
      "/v1/pauses",
      `/v1/pauses/${PAUSE_ID}/claim`,
      `/v1/pauses/${PAUSE_ID}/decision`,
      `/v1/pauses/${PAUSE_ID}/cancel`,
    ]);
  });
});
