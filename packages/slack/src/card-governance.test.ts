import { describe, expect, it } from "vitest";
import { readGovernance } from "./card-governance.ts";
import { pauseFixture } from "./test-support/pause-fixture.ts";

const routing = {
  rule: "payments-over-10k",
  policy_version: "v1",
  outcome: "require" as const,
  approvers: ["group:finance"],
  approvals_required: 2,
  approvals: [{ id: "alice@example.com", channel: "slack", at: "2026-11-21T10:02:00.000Z" }],
  escalation: { after_seconds: 600, to: ["group:finance-leads"], recipients: [] },
  escalated_at: null,
};

describe("readGovernance", () => {
  it("reads the rule, quorum and progress from the server's routing", async () => {
    expect(await readGovernance(pauseFixture({ routing }), undefined)).toEqual({
      rule: "payments-over-10k",
      approvalsRequired: 2,
      approvedBy: ["alice@example.com"],
    });
  });

  it("names the escalation only once it happened", async () => {
    const escalated = pauseFixture({ routing: { ...routing, escalated_at: "2026-11-21T10:10:00.000Z" } });
    expect((await readGovernance(escalated, undefined)).escalatedTo).toBe("group:finance-leads");
  });

  it("never takes governance from the agent's metadata", async () => {
    const forged = pauseFixture({
      metadata: { rule: "ceo-approved", approvals_required: 1, routing: { rule: "ceo-approved" } },
    });
    expect(await readGovernance(forged, undefined)).toEqual({});
  });

  it("lets the governance option override routing, and falls back to the deciding policy rule", async () => {
    const overridden = await readGovernance(pauseFixture({ routing }), () => ({ rule: "from-option" }));
    expect(overridden.rule).toBe("from-option");
    expect(overridden.approvalsRequired).toBe(2);
    const autoApproved = pauseFixture({
      status: "approved",
      decision: {
        status: "approved",
        decided_by: { kind: "policy", id: "policy", rule: "small-refunds" },
        reason: null,
        data: null,
        decided_at: "2026-11-21T10:00:00.000Z",
      },
    });
    expect(await readGovernance(autoApproved, undefined)).toEqual({ rule: "small-refunds" });
  });
});
