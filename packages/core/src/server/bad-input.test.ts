import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../testing/test-server.ts";
import { call, seedRequest } from "./server-test-helpers.ts";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.close();
});

/** Every bad input is a 4xx problem that names the field, and writes nothing. */
async function expectProblem(
  response: Promise<{ status: number; body: Record<string, unknown> }>,
  status: number,
  code: string,
  mentions?: string,
) {
  const { status: actual, body } = await response;
  expect(actual).toBe(status);
  expect(body.code).toBe(code);
  if (mentions) expect(String(body.detail)).toContain(mentions);
}

describe("bad input", () => {
  it("names each invalid field of a pause request", async () => {
    await expectProblem(
      call(t, "POST", "/v1/pauses", { body: { action: { type: "payment" } } }),
      400,
      "invalid_request",
      "agent_id",
    );
    await expectProblem(
      call(t, "POST", "/v1/pauses", { body: { agent_id: "a", action: { type: 42 } } }),
      400,
      "invalid_request",
      "action.type",
    );
    await expectProblem(
      call(t, "POST", "/v1/pauses", {
        body: { ...seedRequest(), action: { type: "payment", colour: "red" } },
      }),
      400,
      "invalid_request",
      "colour",
    );
    await expectProblem(
      call(t, "POST", "/v1/pauses", { body: { ...seedRequest(), expires_in: -5 } }),
      400,
      "invalid_request",
      "expires_in",
    );
    await expectProblem(
      call(t, "POST", "/v1/pauses", {
        body: { ...seedRequest(), recipients: [{ channel: "fax", target: "x" }] },
      }),
      400,
      "invalid_request",
      "recipients.0.channel",
    );
    await expectProblem(
      call(t, "POST", "/v1/pauses", { body: { ...seedRequest(), webhook_url: "ftp://example.com/x" } }),
      400,
      "invalid_request",
      "webhook_url",
    );
    await expectProblem(
      call(t, "POST", "/v1/pauses", { body: { agent_id: "   ", action: { type: "payment" } } }),
      400,
      "invalid_request",
      "agent_id",
    );
    const list = await call(t, "GET", "/v1/pauses", { key: t.adminKey });
    expect(list.body.data).toEqual([]);
  });

  it("lists field problems in `errors`", async () => {
    const response = await call(t, "POST", "/v1/pauses", { body: { agent_id: 1, action: {} } });
    const paths = (response.body.errors as { path: string }[]).map((error) => error.path);
    expect(paths).toEqual(expect.arrayContaining(["agent_id", "action.type"]));
  });

  it("answers malformed JSON, a non-object body and an over-large body with 4xx", async () => {
    await expectProblem(
      call(t, "POST", "/v1/pauses", { rawBody: "{not json" }),
      400,
      "invalid_request",
      "JSON",
    );
    await expectProblem(call(t, "POST", "/v1/pauses", { rawBody: "[1,2]" }), 400, "invalid_request");
    const huge = { ...seedRequest(), metadata: { blob: "x".repeat(300 * 1024) } };
    await expectProblem(call(t, "POST", "/v1/pauses", { body: huge }), 413, "payload_too_large");
  });

  it("reads a chunked body (no declared length) up to the cap, and refuses one past it with 413", async () => {
    const chunked = (text: string) =>
      fetch(`${t.url}/v1/pauses`, {
        method: "POST",
        headers: { authorization: `Bearer ${t.agentKey}`, "content-type": "application/json" },
        body: new Blob([text]).stream(), // a stream: sent chunked, without content-length
        duplex: "half",
      } as RequestInit);
    expect((await chunked(JSON.stringify(seedRequest()))).status).toBe(202);
    const huge = JSON.stringify({ ...seedRequest(), metadata: { blob: "x".repeat(300 * 1024) } });
    const refused = await chunked(huge);
    expect(refused.status).toBe(413);
    expect((await refused.json()).code).toBe("payload_too_large");
  });

  it("answers lone surrogates anywhere with a 400 naming the field, and stores nothing", async () => {
    await expectProblem(
      call(t, "POST", "/v1/pauses", { body: { ...seedRequest(), agent_id: "bad\ud800" } }),
      400,
      "invalid_request",
      "agent_id: contains a lone surrogate",
    );
    await expectProblem(
      call(t, "POST", "/v1/pauses", {
        body: { agent_id: "a", action: { type: "payment", title: "\udfff", data: { note: "x\ud83d" } } },
      }),
      400,
      "invalid_request",
      "action.title",
    );
    await expectProblem(
      call(t, "POST", "/v1/pauses", {
        body: { agent_id: "a", action: { type: "payment", data: { ["k\ud800"]: 1 } } },
      }),
      400,
      "invalid_request",
      "action.data: has a member name with a lone surrogate",
    );
    const pause = await call(t, "POST", "/v1/pauses", { body: seedRequest() });
    await expectProblem(
      call(t, "POST", `/v1/pauses/${pause.body.pause_id}/decision`, {
        key: t.approverKey,
        body: { decision: "reject", reason: "no\ud800" },
      }),
      400,
      "invalid_request",
      "reason",
    );
    expect((await call(t, "GET", `/v1/pauses/${pause.body.pause_id}`)).body.status).toBe("pending");
  });

  it("refuses JSON nested deeper than 64 levels, even thousands deep, with a 400", async () => {
    const deep = `${'{"next":'.repeat(5_000)}1${"}".repeat(5_000)}`;
    const response = await call(t, "POST", "/v1/pauses", {
      rawBody: `{"agent_id":"a","action":{"type":"payment","data":${deep}}}`,
    });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe("invalid_request");
    expect(String(response.body.detail)).toContain("nests deeper than 64 levels");
    const arrays = `{"agent_id":"a","action":{"type":"p","data":{"x":${"[".repeat(3_000)}${"]".repeat(3_000)}}}}`;
    await expectProblem(call(t, "POST", "/v1/pauses", { rawBody: arrays }), 400, "invalid_request", "deeper");
  });

  it("refuses a member named twice in one object, which verifiers would read two ways", async () => {
    const response = await call(t, "POST", "/v1/pauses", {
      rawBody: '{"agent_id":"a","action":{"type":"payment","data":{"amount":1,"amount":1000000}}}',
    });
    expect(response.status).toBe(400);
    expect(String(response.body.detail)).toContain("has a member name twice in one object");
  });

  it("refuses __proto__, constructor and prototype members at the wire", async () => {
    for (const name of ["__proto__", "constructor", "prototype"]) {
      const response = await call(t, "POST", "/v1/pauses", {
        rawBody: `{"agent_id":"a","action":{"type":"payment","data":{"${name}":{"admin":true}}}}`,
      });
      expect(response.status).toBe(400);
      expect(String(response.body.detail)).toContain(
        `action.data.${name}: a member named "${name}" is refused`,
      );
    }
  });

  it("checks decision bodies: the decision value, and edits only with an approval", async () => {
    const pause = await call(t, "POST", "/v1/pauses", { body: seedRequest() });
    const path = `/v1/pauses/${pause.body.pause_id}/decision`;
    await expectProblem(
      call(t, "POST", path, { key: t.approverKey, body: { decision: "maybe" } }),
      400,
      "invalid_request",
      "decision",
    );
    await expectProblem(
      call(t, "POST", path, { key: t.approverKey, body: { decision: "reject", data: { amount: 1 } } }),
      400,
      "invalid_request",
      "data",
    );
    expect((await call(t, "GET", `/v1/pauses/${pause.body.pause_id}`)).body.status).toBe("pending");
  });

  it("answers missing, unknown and revoked keys with 401", async () => {
    await expectProblem(call(t, "GET", "/v1/pauses", { key: null }), 401, "unauthorized");
    await expectProblem(call(t, "GET", "/v1/pauses", { key: "csk_agent_unknown" }), 401, "unauthorized");
    const { key, record } = await t.server.issueApiKey({
      role: "agent",
      identity: "owner@example.com",
      agentIds: ["billing-agent"],
    });
    expect((await call(t, "GET", "/v1/pauses", { key })).status).toBe(200);
    await t.store.revokeApiKey(record.keyId, new Date().toISOString());
    await expectProblem(call(t, "GET", "/v1/pauses", { key }), 401, "unauthorized", "revoked");
    await expectProblem(call(t, "GET", "/v1/pauses", { key: `${key}x` }), 401, "unauthorized");
  });

  it("answers unknown pauses, unknown routes and bad query values clearly", async () => {
    await expectProblem(call(t, "GET", "/v1/pauses/pau_doesnotexist"), 404, "not_found");
    await expectProblem(call(t, "GET", "/v1/nothing"), 404, "not_found");
    await expectProblem(
      call(t, "GET", "/v1/pauses?limit=1000", { key: t.approverKey }),
      400,
      "invalid_request",
      "limit",
    );
    await expectProblem(
      call(t, "GET", "/v1/pauses?status=maybe", { key: t.approverKey }),
      400,
      "invalid_request",
      "status",
    );
    const pause = await call(t, "POST", "/v1/pauses", { body: seedRequest() });
    await expectProblem(
      call(t, "GET", `/v1/pauses/${pause.body.pause_id}?wait=500`),
      400,
      "invalid_request",
      "wait",
    );
    await expectProblem(
      call(t, "POST", "/v1/pauses", { body: seedRequest(), headers: { "idempotency-key": "k".repeat(300) } }),
      400,
      "invalid_request",
      "Idempotency-Key",
    );
  });
});
