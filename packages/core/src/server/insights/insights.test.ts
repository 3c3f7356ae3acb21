import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { compilePolicy } from "../../policy/compile-policy.ts";
import type { Denial, Insights } from "../../protocol/insights.ts";
import { startTestServer, type TestServer } from "../../testing/test-server.ts";
import { decide, fakeClock, openPause, putIdentity, refund, seedPolicy } from "../governance-test-helpers.ts";
import { call } from "../server-test-helpers.ts";
import { percentile } from "./compute-insights.ts";
import { masked } from "./denials.ts";

let t: TestServer;
let clock: ReturnType<typeof fakeClock>;
beforeEach(async () => {
  clock = fakeClock();
  t = await startTestServer({ policy: seedPolicy().hook, now: clock.now });
  await putIdentity(t, "alice@example.com", ["engineering"]);
  await putIdentity(t, "bob@example.com", ["engineering", "finance"]);
});
afterEach(async () => {
  await t.close();
});

const deploy = (service: string) => ({
  agent_id: "deploy-bot",
  action: {
    type: "deploy",
    title: `Deploy ${service} to staging`,
    data: { service, env: "staging", token: "s3cret" },
  },
});

async function insights(window = "30d"): Promise<Insights> {
  const response = await call(t, "GET", `/v1/insights?window=${window}`, { key: t.adminKey });
  if (response.status !== 200) throw new Error(JSON.stringify(response.body));
  return response.body as unknown as Insights;
}

describe("GET /v1/insights", () => {
  it("measures each agent × action type: shares, people's time to decision, denial reasons, grants", async () => {
    // Refunds: 2 auto-approved (≤ 50), 3 by people (after 10, 20, 30 minutes), 2 rejected, 1 by a grant.
    await openPause(t, refund(20));
    await openPause(t, refund(30));
    for (const minutes of [10, 20, 30]) {
      const pause = await openPause(t, refund(100));
      clock.advance(minutes * 60);
      await decide(t, pause.pause_id, t.approverKey);
    }
    for (const reason of ["Duplicate refund.", "duplicate refund"]) {
      const pause = await openPause(t, refund(120));
      clock.advance(60);
      await decide(t, pause.pause_id, t.approverKey, { decision: "reject", reason });
    }
    const grant = await call(t, "POST", "/v1/grants", {
      key: t.secondApproverKey,
      body: { agent_ids: ["support-agent"], action_type: "refund", max_count: 1, expires_in: 3600 },
    });
    await openPause(t, refund(200));
    await openPause(t, refund(210)); // pending: the grant is used up
    const report = await insights();
    expect(report.groups).toHaveLength(1);
    expect(report.groups[0]).toMatchObject({
      agent_id: "support-agent",
      action_type: "refund",
      volume: 9,
      pending: 1,
      approved: 6,
      rejected: 2,
      auto_approved: 2,
      granted: 1,
      human_approved: 3,
      human_rejected: 2,
      rates: { approved: 0.75, rejected: 0.25, auto_approved: 0.25, granted: 0.125, expired: 0 },
      top_denial_reasons: [{ reason: "Duplicate refund.", count: 2 }],
      grants_used: [{ grant_id: grant.body.grant_id, granted_by: "bob@example.com", count: 1 }],
    });
    // People's waits: 600, 1200, 1800, 60, 60 seconds.
    expect(report.groups[0]!.time_to_decision_seconds).toEqual({ p50: 600, p90: 1800, count: 5 });
  });

  it("only counts the window, and suggests loosening a gate people always approve, with a rule to copy", async () => {
    const old = await openPause(t, deploy("legacy"));
    await decide(t, old.pause_id, t.approverKey, { decision: "reject", reason: "frozen" });
    clock.advance(40 * 86_400);
    for (let index = 0; index < 20; index++) {
      const pause = await openPause(t, deploy(`svc-${index}`));
      clock.advance(9);
      await decide(t, pause.pause_id, t.approverKey);
    }
    const report = await insights("30d");
    expect(report.groups[0]).toMatchObject({ volume: 20, human_approved: 20, human_rejected: 0 });
    expect(report.suggestions).toHaveLength(1);
    const [suggestion] = report.suggestions;
    expect(suggestion).toMatchObject({
      kind: "loosen",
      agent_id: "deploy-bot",
      action_type: "deploy",
      evidence: { human_approved: 20, human_rejected: 0, median_decision_seconds: 9 },
    });
    expect(suggestion!.summary).toBe(
      "deploy from deploy-bot: 20 approved, 0 denied, median decision 9 s in 30d → consider sample: 0.05 or auto_approve",
    );
    expect(suggestion!.policy_snippet).toContain("outcome: sample");
    // The rule is one the policy compiler accepts as written.
    expect(compilePolicy({ rules: [suggestion!.policy_rule] }).ok).toBe(true);
    // A 60-day window sees the old rejection too, and suggests nothing.
    expect((await insights("60d")).suggestions).toEqual([]);
  });

  it("suggests an approver or escalation for a gate that waits long for people", async () => {
    for (let index = 0; index < 5; index++) {
      const pause = await openPause(t, refund(100 + index));
      clock.advance(40 * 60);
      await decide(t, pause.pause_id, t.secondApproverKey);
    }
    const [suggestion] = (await insights()).suggestions;
    expect(suggestion).toMatchObject({
      kind: "speed_up",
      evidence: { median_decision_seconds: 2400, most_frequent_decider: "bob@example.com" },
    });
    expect(suggestion!.policy_snippet).toContain('approvers: ["bob@example.com"]');
    expect(compilePolicy({ rules: [suggestion!.policy_rule] }).ok).toBe(true);
  });

  it("refuses agents and a window it cannot read", async () => {
    expect((await call(t, "GET", "/v1/insights", { key: t.agentKey })).status).toBe(403);
    const bad = await call(t, "GET", "/v1/insights?window=forever", { key: t.adminKey });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain("window");
  });
});

describe("GET /v1/insights/denials", () => {
  it("lists every rejection with its arguments, masked where asked, and the reason", async () => {
    const pause = await openPause(t, deploy("api"));
    await decide(t, pause.pause_id, t.approverKey, { decision: "reject", reason: "Not during the freeze" });
    clock.advance(1);
    await openPause(t, { agent_id: "ops-bot", action: { type: "db.drop_table", data: { table: "users" } } });
    const response = await call(t, "GET", "/v1/insights/denials?mask=token", { key: t.adminKey });
    const denials = (response.body as { data: Denial[] }).data;
    expect(denials.map((denial) => [denial.action_type, denial.reason, denial.decided_by.kind])).toEqual([
      ["deploy", "Not during the freeze", "human"],
      ["db.drop_table", "Agents never drop tables", "policy"],
    ]);
    expect(denials[0]!.data).toEqual({ service: "api", env: "staging", token: "[masked]" });
    expect((await call(t, "GET", "/v1/insights/denials", { key: t.approverKey })).status).toBe(403);
  });
});

describe("helpers", () => {
  it("takes nearest-rank percentiles", () => {
    expect(percentile([], 0.5)).toBeNull();
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBe(9);
  });

  it("masks nested fields and leaves the original alone", () => {
    const data = { card: { number: "4242", brand: "visa" }, amount: 5 };
    expect(masked(data, ["card.number", "missing.field"])).toEqual({
      card: { number: "[masked]", brand: "visa" },
      amount: 5,
    });
    expect(data.card.number).toBe("4242");
  });
});
