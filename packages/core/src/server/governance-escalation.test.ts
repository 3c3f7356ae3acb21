import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Pause } from "../protocol/pause.ts";
import type { Recipient } from "../protocol/pause-request.ts";
import { startTestServer, type TestServer } from "../testing/test-server.ts";
import type { ChannelPlugin } from "./channel-plugin.ts";
import {
  approverKey,
  auditOf,
  decide,
  fakeClock,
  openPause,
  putIdentity,
  refund,
  seedPolicy,
} from "./governance-test-helpers.ts";
import { call } from "./server-test-helpers.ts";

let t: TestServer;
let clock: ReturnType<typeof fakeClock>;
let notified: { pauseId: string; recipients: Recipient[]; routing: Pause["routing"] }[];
let carolKey: string;

beforeEach(async () => {
  clock = fakeClock();
  notified = [];
  const slack: ChannelPlugin = {
    channel: "slack",
    async notify(pause, recipients) {
      notified.push({ pauseId: pause.pause_id, recipients, routing: pause.routing });
    },
  };
  // Background off: the test drives every sweep with the fake clock.
  t = await startTestServer({
    policy: seedPolicy().hook,
    now: clock.now,
    channels: [slack],
    serverOptions: { background: false },
  });
  await putIdentity(t, "bob@example.com", ["finance"]);
  await putIdentity(t, "carol@example.com", ["finance-oncall"]);
  carolKey = await approverKey(t, "carol@example.com");
});
afterEach(async () => {
  await t.close();
});

async function read(pauseId: string): Promise<Pause> {
  return (await call(t, "GET", `/v1/pauses/${pauseId}`)).body as unknown as Pause;
}

describe("escalation: refunds over $500 go to finance, then to finance on-call after 15 minutes", () => {
  it("re-routes once when escalate_after passes, tells the on-call channel, and lets on-call decide", async () => {
    const pause = await openPause(t, refund(900));
    await t.server.idle();
    expect(notified).toEqual([
      expect.objectContaining({ recipients: [{ channel: "slack", target: "#finance-approvals" }] }),
    ]);
    expect((await decide(t, pause.pause_id, carolKey)).status).toBe(403);

    clock.advance(15 * 60 - 1);
    await t.server.runBackgroundOnce();
    expect((await read(pause.pause_id)).routing?.escalated_at).toBeNull();

    clock.advance(1);
    await t.server.runBackgroundOnce();
    await t.server.idle();
    const escalated = await read(pause.pause_id);
    expect(escalated.status).toBe("pending");
    expect(escalated.routing).toMatchObject({
      approvers: ["group:finance", "group:finance-oncall"],
      escalated_at: "2026-11-21T10:15:00.000Z",
    });
    expect(notified).toHaveLength(2);
    expect(notified[1]).toMatchObject({
      pauseId: pause.pause_id,
      recipients: [{ channel: "slack", target: "#finance-oncall" }],
      routing: { escalated_at: "2026-11-21T10:15:00.000Z" },
    });
    const events = await auditOf(t, pause.pause_id);
    expect(events.at(-1)).toMatchObject({
      type: "pause.escalated",
      actor: { kind: "system", id: "escalation" },
      data: { rule: "large-refunds", after_seconds: 900, to: ["group:finance-oncall"] },
    });

    // Later sweeps leave it alone: once only.
    clock.advance(600);
    await t.server.runBackgroundOnce();
    await t.server.idle();
    expect(notified).toHaveLength(2);
    expect(
      (await auditOf(t, pause.pause_id)).filter((event) => event.type === "pause.escalated"),
    ).toHaveLength(1);

    const decided = await decide(t, pause.pause_id, carolKey, { decision: "approve", reason: "On-call ok" });
    expect(decided.body).toMatchObject({
      status: "approved",
      decision: { decided_by: { id: "carol@example.com" } },
    });
  });

  it("keeps the first group able to decide after escalation, and never escalates a decided pause", async () => {
    const pause = await openPause(t, refund(700));
    clock.advance(15 * 60);
    await t.server.runBackgroundOnce();
    expect((await decide(t, pause.pause_id, t.secondApproverKey)).body.status).toBe("approved");

    const decidedFirst = await openPause(t, refund(800));
    await decide(t, decidedFirst.pause_id, t.secondApproverKey, { decision: "reject", reason: "Duplicate" });
    clock.advance(15 * 60);
    await t.server.runBackgroundOnce();
    expect((await read(decidedFirst.pause_id)).routing?.escalated_at).toBeNull();
    expect((await auditOf(t, decidedFirst.pause_id)).map((event) => event.type)).not.toContain(
      "pause.escalated",
    );
  });

  it("expires rather than escalates a pause whose expiry comes first", async () => {
    const pause = await openPause(t, refund(900));
    clock.advance(5 * 3600);
    await t.server.runBackgroundOnce();
    const expired = await read(pause.pause_id);
    expect(expired.status).toBe("expired");
    expect((await auditOf(t, pause.pause_id)).map((event) => event.type)).not.toContain("pause.escalated");
  });
});
