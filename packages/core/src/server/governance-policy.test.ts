import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { verifyProof } from "../proof/verify-proof.ts";
import type { Pause } from "../protocol/pause.ts";
import { startTestServer, type TestServer } from "../testing/test-server.ts";
import { auditOf, fakeClock, openPause, putIdentity, refund, seedPolicy } from "./governance-test-helpers.ts";
import { call } from "./server-test-helpers.ts";

let t: TestServer;
let clock: ReturnType<typeof fakeClock>;
let version: string;
beforeEach(async () => {
  clock = fakeClock();
  const policy = seedPolicy();
  version = policy.version;
  t = await startTestServer({ policy: policy.hook, now: clock.now });
});
afterEach(async () => {
  await t.close();
});

describe("policy at open", () => {
  it("auto-approves a small refund with a proof that names the rule and the policy version", async () => {
    const pause = await openPause(t, refund(20));
    expect(pause.status).toBe("approved");
    expect(pause.decision?.decided_by).toEqual({
      kind: "policy",
      id: "policy:small-refunds",
      rule: "small-refunds",
    });
    expect(pause.routing).toMatchObject({
      rule: "small-refunds",
      policy_version: version,
      outcome: "auto_approve",
    });
    const verified = await verifyProof(pause.proof, {
      keys: t.jwks,
      pauseId: pause.pause_id,
      action: pause.action,
      now: clock.now(),
    });
    expect(verified.approved).toBe(true);
    expect(verified.proof.human_response).toBe(false);
    expect((verified.proof as Record<string, unknown>).policy).toEqual({ rule: "small-refunds", version });
  });

  it("denies a table drop at once with the rule's reason", async () => {
    const response = await call(t, "POST", "/v1/pauses", {
      body: { agent_id: "db-agent", action: { type: "db.drop_table", data: { table: "users" } } },
    });
    const pause = response.body as unknown as Pause;
    expect(pause.status).toBe("rejected");
    expect(pause.decision).toMatchObject({
      reason: "Agents never drop tables",
      decided_by: { kind: "policy", rule: "deny-table-drops" },
    });
    await expect(verifyProof(pause.proof, { keys: t.jwks, now: clock.now() })).rejects.toMatchObject({
      code: "proof_not_approved",
    });
  });

  it("routes a large refund to finance: rule, version, approvers, recipients and expiry on the pause and in the audit log", async () => {
    // An agent may name an approver the policy routed to; anyone else is dropped (see trust-boundaries tests).
    await putIdentity(t, "support-lead@acme.com", ["finance"]);
    const pause = await openPause(t, {
      ...refund(900),
      recipients: [{ channel: "email", target: "support-lead@acme.com" }],
      expires_in: 60,
    });
    expect(pause.status).toBe("pending");
    expect(pause.routing).toEqual({
      rule: "large-refunds",
      policy_version: version,
      outcome: "require",
      risk: null,
      declared_risk: null,
      derived_risk: null,
      approvers: ["group:finance"],
      approvals_required: 1,
      approvals: [],
      escalation: {
        after_seconds: 900,
        to: ["group:finance-oncall"],
        recipients: [{ channel: "slack", target: "#finance-oncall" }],
      },
      escalated_at: null,
    });
    // The rule adds its recipients to the agent's, and its expiry wins over the agent's.
    expect(pause.recipients).toEqual([
      { channel: "email", target: "support-lead@acme.com" },
      { channel: "slack", target: "#finance-approvals" },
    ]);
    expect(Date.parse(pause.expires_at) - Date.parse(pause.created_at)).toBe(4 * 3600 * 1000);
    const events = await auditOf(t, pause.pause_id);
    expect(events.map((event) => event.type)).toEqual(["pause.opened", "pause.routed"]);
    expect(events[1]).toMatchObject({
      actor: { kind: "policy", id: "large-refunds" },
      data: {
        rule: "large-refunds",
        policy_version: version,
        approvers: ["group:finance"],
        approvals_required: 1,
      },
    });
  });

  it("falls to the default rule for a mid-size refund: any approver decides, and the proof names the rule", async () => {
    const pause = await openPause(t, refund(200));
    expect(pause.routing).toMatchObject({ rule: "default", approvers: null, approvals_required: 1 });
    const decided = await t.approve(pause.pause_id);
    expect(decided.status).toBe("approved");
    const proof = decided.proof as Record<string, unknown>;
    expect(proof.policy).toEqual({ rule: "default", version });
  });

  it("expires a routed pause at the policy's expiry with a timeout proof (fake clock)", async () => {
    const pause = await openPause(t, refund(900));
    clock.advance(4 * 3600 - 1);
    await t.server.runBackgroundOnce();
    expect((await call(t, "GET", `/v1/pauses/${pause.pause_id}`)).body.status).toBe("pending");
    clock.advance(1);
    await t.server.runBackgroundOnce();
    const expired = (await call(t, "GET", `/v1/pauses/${pause.pause_id}`)).body as unknown as Pause;
    expect(expired.status).toBe("expired");
    expect(expired.decision?.decided_by).toEqual({ kind: "timeout", id: "countersign" });
    await expect(verifyProof(expired.proof, { keys: t.jwks, now: clock.now() })).rejects.toMatchObject({
      code: "proof_not_approved",
    });
  });
});
