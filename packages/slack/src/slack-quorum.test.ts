import type { PolicyHook } from "@countersign/core/server";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type SlackHarness, startSlackHarness } from "./test-support/slack-harness.ts";
import {
  clickPayload,
  ephemeralReply,
  FINANCE_CHANNEL_ID,
  postInteraction,
} from "./test-support/slack-requests.ts";

/** Governance: every payment needs two distinct approvers. */
const twoApprovers: PolicyHook = {
  evaluate: () => ({
    outcome: "require",
    rule: "payments-need-two",
    version: "test",
    routing: { approvers: null, approvals_required: 2, approvals: [], escalation: null, escalated_at: null },
  }),
};

let harness: SlackHarness;
beforeEach(async () => {
  harness = await startSlackHarness({}, {}, { policy: twoApprovers });
});
afterEach(async () => {
  await harness.close();
});

const cardTs = "1795255200.000101";

function approvalsField(blocks: unknown): string | undefined {
  const section = (blocks as { type: string; fields?: { text: string }[] }[]).find((block) => block.fields);
  return section?.fields?.find((field) => field.text.startsWith("*Approvals*"))?.text;
}

const click = (userId: string, pauseId: string) =>
  postInteraction(
    harness.interactionsUrl,
    clickPayload({ userId, actionId: "countersign_approve", pauseId, ts: cardTs }),
  );

describe("a pause that needs two approvals", () => {
  it("shows the rule and the progress, keeps the buttons until the quorum is met, then shows the outcome", async () => {
    const pause = await harness.openPause();
    const [post] = harness.api.of("chat.postMessage");
    expect(JSON.stringify(post?.blocks)).toContain("*Routed by*\\nRule payments-need-two");
    expect(approvalsField(post?.blocks)).toBe("*Approvals*\n0 of 2 approvals");
    harness.api.reset();

    await click("U0ALICE", pause.pause_id);
    await harness.settle();
    expect((await harness.getPause(pause.pause_id)).status).toBe("pending");
    const [progress] = harness.api.of("chat.update");
    expect(progress).toMatchObject({
      channel: FINANCE_CHANNEL_ID,
      ts: cardTs,
      text: "Approval needed: Pay Acme Corp $12,450",
    });
    expect(approvalsField(progress?.blocks)).toBe("*Approvals*\n1 of 2 approvals: alice@example.com");
    expect(JSON.stringify(progress?.blocks)).toContain("countersign_approve");
    expect(harness.api.of("response_url")).toEqual([
      ephemeralReply("Your approval is recorded (1 of 2 approvals). It still needs more approvals."),
    ]);
    harness.api.reset();

    await click("U0ALICE", pause.pause_id);
    await harness.settle();
    expect(harness.api.of("response_url")[0]?.text).toMatch(
      /^alice@example\.com has already approved this pause/,
    );
    expect((await harness.getPause(pause.pause_id)).status).toBe("pending");
    harness.api.reset();

    await click("U0BOB", pause.pause_id);
    await harness.settle();
    const decided = await harness.getPause(pause.pause_id);
    expect(decided.status).toBe("approved");
    const updates = harness.api.of("chat.update");
    expect(updates).toHaveLength(1);
    expect(updates[0]?.text).toBe("Approved: Pay Acme Corp $12,450, by bob@example.com via Slack");
    expect(approvalsField(updates[0]?.blocks)).toBe(
      "*Approvals*\n2 of 2 approvals: alice@example.com, bob@example.com",
    );
    expect(JSON.stringify(updates[0]?.blocks)).not.toContain("countersign_approve");
  });
});
