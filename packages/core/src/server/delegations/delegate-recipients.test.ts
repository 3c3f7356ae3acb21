import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { compilePolicy } from "../../policy/compile-policy.ts";
import { policyHook } from "../../policy/policy-hook.ts";
import { startTestServer, type TestServer } from "../../testing/test-server.ts";
import { auditOf, openPause } from "../governance-test-helpers.ts";
import { call } from "../server-test-helpers.ts";

/** Payments go to Alice by name; refunds to the finance group, announced in a Slack channel. */
function policy() {
  const compiled = compilePolicy({
    rules: [
      { name: "payments", action_type: "payment", outcome: "require", approvers: ["alice@example.com"] },
      {
        name: "refunds",
        action_type: "refund",
        outcome: "require",
        approvers: ["group:finance"],
        recipients: [{ channel: "slack", target: "#finance" }],
      },
    ],
  });
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.issues));
  return policyHook(compiled.policy);
}

let t: TestServer;
beforeEach(async () => {
  t = await startTestServer({ policy: policy() });
  const people: [string, string, string[]][] = [
    ["alice@example.com", "UALICE1", ["finance"]],
    ["bob@example.com", "UBOB1", []],
    ["carol@example.com", "UCAROL1", []],
  ];
  for (const [identity, slackUserId, groups] of people) {
    const response = await call(t, "PUT", `/v1/identities/${encodeURIComponent(identity)}`, {
      key: t.adminKey,
      body: { email: identity, slack_user_id: slackUserId, groups },
    });
    expect(response.status).toBeLessThan(300);
  }
});
afterEach(async () => {
  await t.close();
});

async function delegate(from: string, to: string, extra: Record<string, unknown> = {}) {
  const ends = new Date(Date.now() + 86_400_000).toISOString();
  const response = await call(t, "POST", "/v1/delegations", {
    key: t.adminKey,
    body: { from, to, ends_at: ends, ...extra },
  });
  expect(response.status).toBe(201);
}

describe("routing reaches the delegate", () => {
  it("tells the delegate on the channels the delegator was named on: Slack by member id, e-mail, inbox", async () => {
    await delegate("alice@example.com", "bob@example.com");
    const pause = await openPause(t, {
      agent_id: "billing-agent",
      action: { type: "payment", data: { amount: 10 } },
      recipients: [
        { channel: "slack", target: "UALICE1" },
        { channel: "email", target: "alice@example.com" },
      ],
    });
    expect(pause.recipients).toEqual([
      { channel: "slack", target: "UALICE1" },
      { channel: "email", target: "alice@example.com" },
      { channel: "email", target: "bob@example.com" },
      { channel: "slack", target: "UBOB1" },
    ]);
  });

  it("tells a group member's delegate in the inbox and by Slack when the group is reached through a channel", async () => {
    await delegate("alice@example.com", "carol@example.com");
    const pause = await openPause(t, {
      agent_id: "support-agent",
      action: { type: "refund", data: { amount: 10 } },
    });
    expect(pause.recipients).toEqual([
      { channel: "slack", target: "#finance" },
      { channel: "web", target: "carol@example.com" },
      { channel: "slack", target: "UCAROL1" },
    ]);
    const opened = (await auditOf(t, pause.pause_id)).find((event) => event.type === "pause.opened");
    expect(opened?.data.delegates).toMatchObject([{ from: "alice@example.com", to: "carol@example.com" }]);
  });

  it("adds nobody for a delegation that does not cover the pause or whose delegator it does not reach", async () => {
    await delegate("alice@example.com", "bob@example.com", { action_types: ["refund"] });
    await delegate("carol@example.com", "bob@example.com");
    const pause = await openPause(t, {
      agent_id: "billing-agent",
      action: { type: "payment", data: { amount: 10 } },
      recipients: [{ channel: "email", target: "alice@example.com" }],
    });
    expect(pause.recipients).toEqual([{ channel: "email", target: "alice@example.com" }]);
    const opened = (await auditOf(t, pause.pause_id)).find((event) => event.type === "pause.opened");
    expect(opened?.data.delegates).toBeUndefined();
  });
});
