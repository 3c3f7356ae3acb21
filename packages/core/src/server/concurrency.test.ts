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

describe("concurrency", () => {
  it("lets exactly one of 100 concurrent decisions win; the rest get 409", async () => {
    const pause = await call(t, "POST", "/v1/pauses", { body: seedRequest() });
    const path = `/v1/pauses/${pause.body.pause_id}/decision`;
    const responses = await Promise.all(
      Array.from({ length: 100 }, (_, index) =>
        call(t, "POST", path, {
          key: index % 2 ? t.approverKey : t.secondApproverKey,
          body: index % 3 ? { decision: "approve" } : { decision: "reject", reason: `reason ${index}` },
        }),
      ),
    );
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(99);
    const winner = responses.find((response) => response.status === 200)!;
    const final = await call(t, "GET", `/v1/pauses/${pause.body.pause_id}`);
    expect(final.body.decision).toEqual(winner.body.decision);
    const audit = await call(t, "GET", `/v1/audit?pause_id=${pause.body.pause_id}&type=pause.decided`, {
      key: t.adminKey,
    });
    expect(audit.body.data).toHaveLength(1);
  });

  it("lets exactly one of 100 concurrent claims run the action", async () => {
    const pause = await call(t, "POST", "/v1/pauses", { body: seedRequest() });
    await t.approve(String(pause.body.pause_id));
    const responses = await Promise.all(
      Array.from({ length: 100 }, () => call(t, "POST", `/v1/pauses/${pause.body.pause_id}/claim`)),
    );
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(responses.filter((response) => response.body.code === "already_claimed")).toHaveLength(99);
  });

  it("opens one pause for 20 concurrent creates with one Idempotency-Key", async () => {
    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        call(t, "POST", "/v1/pauses", { body: seedRequest(), headers: { "idempotency-key": "same-call" } }),
      ),
    );
    expect(new Set(responses.map((response) => response.body.pause_id)).size).toBe(1);
    expect(responses.filter((response) => response.status === 202)).toHaveLength(1);
  });
});
