import type { PolicyHook } from "@countersign/core/server";
import { afterEach, describe, expect, it } from "vitest";
import { PAYMENT_REQUEST, type SlackHarness, startSlackHarness } from "./test-support/slack-harness.ts";
import { FINANCE_CHANNEL_ID } from "./test-support/slack-requests.ts";

let harness: SlackHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const cardTs = "1795255200.000101";

function outcomeLine(blocks: unknown): string | undefined {
  return (blocks as { text?: { text: string } }[])[1]?.text?.text;
}

describe("a card follows its pause however it is decided", () => {
  it("shows a rejection made through the API or the inbox, with the reason", async () => {
    harness = await startSlackHarness();
    const pause = await harness.openPause();
    harness.api.reset();
    await harness.server.reject(pause.pause_id, "Vendor is on hold");
    await harness.settle();
    const updates = harness.api.of("chat.update");
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({
      channel: FINANCE_CHANNEL_ID,
      ts: cardTs,
      text: "Rejected: Pay Acme Corp $12,450, by alice@example.com via the API",
    });
    expect(JSON.stringify(updates[0]?.blocks)).toContain("Reason: Vendor is on hold");
    expect(JSON.stringify(updates[0]?.blocks)).not.toContain("countersign_approve");
  });

  it("shows expiry, which counts as a rejection", async () => {
    harness = await startSlackHarness();
    const pause = await harness.openPause();
    harness.api.reset();
    harness.advanceClock(901);
    await harness.server.server.runBackgroundOnce();
    await harness.settle();
    expect((await harness.getPause(pause.pause_id)).status).toBe("expired");
    const updates = harness.api.of("chat.update");
    expect(updates).toHaveLength(1);
    expect(updates[0]?.text).toBe("Expired without a decision: Pay Acme Corp $12,450");
    expect(outcomeLine(updates[0]?.blocks)).toMatch(
      /^:hourglass: \*Expired\* without a decision · .+ It counts as a rejection\.$/,
    );
  });

  it("shows a cancellation by the agent", async () => {
    harness = await startSlackHarness();
    const pause = await harness.openPause();
    harness.api.reset();
    const response = await fetch(`${harness.server.url}/v1/pauses/${pause.pause_id}/cancel`, {
      method: "POST",
      headers: { authorization: `Bearer ${harness.server.agentKey}`, "content-type": "application/json" },
      body: "{}",
    });
    expect(response.status).toBe(200);
    await harness.settle();
    expect(harness.api.of("chat.update").map((update) => update.text)).toEqual([
      "Cancelled: Pay Acme Corp $12,450",
    ]);
  });

  it("updates a card sent as a direct message through the DM channel Slack resolved", async () => {
    harness = await startSlackHarness();
    const pause = await harness.openPause({
      ...PAYMENT_REQUEST,
      recipients: [{ channel: "slack", target: "U0ALICE" }],
    });
    expect(harness.api.of("chat.postMessage")[0]?.channel).toBe("U0ALICE");
    await harness.server.approve(pause.pause_id, { apiKey: harness.server.secondApproverKey });
    await harness.settle();
    expect(harness.api.of("chat.update")[0]).toMatchObject({ channel: "D0ALICE", ts: cardTs });
  });
});

describe("a decision that overtakes the card", () => {
  it("updates the card as soon as it exists when the pause was decided while it was being posted", async () => {
    let openGate = () => {};
    const postGate = new Promise<void>((resolve) => {
      openGate = resolve;
    });
    harness = await startSlackHarness({}, { postGate });
    const pause = await harness.openPause(PAYMENT_REQUEST, { settled: false });
    await harness.server.approve(pause.pause_id);
    openGate();
    await harness.settle();
    expect(harness.api.calls.map((call) => call.method)).toEqual(["chat.postMessage", "chat.update"]);
    expect(harness.api.of("chat.update")[0]).toMatchObject({
      channel: FINANCE_CHANNEL_ID,
      ts: cardTs,
      text: "Approved: Pay Acme Corp $12,450, by alice@example.com via the API",
    });
  });
});

describe("escalation and routing", () => {
  it("re-posts to the escalation target and marks the first card when escalate_after fires, then settles both", async () => {
    const escalatingPolicy: PolicyHook = {
      evaluate: () => ({
        outcome: "require",
        rule: "payments-over-10k",
        version: "test",
        recipients: [{ channel: "slack", target: "#finance-approvals" }],
        routing: {
          approvers: null,
          approvals_required: 1,
          approvals: [],
          escalation: {
            after_seconds: 600,
            to: ["group:finance-leads"],
            recipients: [{ channel: "slack", target: "#finance-leads" }],
          },
          escalated_at: null,
        },
      }),
    };
    harness = await startSlackHarness({}, {}, { policy: escalatingPolicy });
    const pause = await harness.openPause();
    expect(JSON.stringify(harness.api.of("chat.postMessage")[0]?.blocks)).toContain("Rule payments-over-10k");
    harness.api.reset();

    harness.advanceClock(601);
    await harness.server.server.runBackgroundOnce();
    await harness.settle();
    const posts = harness.api.of("chat.postMessage");
    expect(posts.map((post) => post.channel)).toEqual(["#finance-leads"]);
    expect(JSON.stringify(posts[0]?.blocks)).toContain("*Escalated to*\\ngroup:finance-leads");
    const updates = harness.api.of("chat.update");
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({ channel: FINANCE_CHANNEL_ID, ts: cardTs });
    expect(JSON.stringify(updates[0]?.blocks)).toContain("*Escalated to*\\ngroup:finance-leads");
    expect(JSON.stringify(updates[0]?.blocks)).toContain("countersign_approve");
    harness.api.reset();

    await harness.server.approve(pause.pause_id);
    await harness.settle();
    const settled = harness.api.of("chat.update");
    expect(settled.map((update) => update.channel).sort()).toEqual(["C0FINANCE", "C0LEADS"]);
    for (const update of settled) {
      expect(update.text).toBe("Approved: Pay Acme Corp $12,450, by alice@example.com via the API");
    }
  });

  it("posts to the other targets when one fails, and reports the failure without failing the agent", async () => {
    harness = await startSlackHarness({}, { failingTargets: ["#gone"] });
    const pause = await harness.openPause({
      ...PAYMENT_REQUEST,
      recipients: [
        { channel: "slack", target: "#gone" },
        { channel: "slack", target: "#finance-approvals" },
      ],
    });
    expect(pause.status).toBe("pending");
    expect(harness.api.of("chat.postMessage").map((post) => post.channel)).toEqual([
      "#gone",
      "#finance-approvals",
    ]);
    await harness.server.approve(pause.pause_id);
    await harness.settle();
    expect(harness.api.of("chat.update").map((update) => update.channel)).toEqual([FINANCE_CHANNEL_ID]);
  });
});

describe("after a restart", () => {
  it("updates a card posted before the restart, found through the audit log", async () => {
    harness = await startSlackHarness();
    const pause = await harness.openPause();
    await harness.server.reject(pause.pause_id, "Duplicate invoice");
    await harness.settle();
    harness.api.reset();
    // A new plugin instance knows no cards, as after a restart of the server.
    const { slackChannel } = await import("./slack-channel.ts");
    const { APPROVERS } = await import("./test-support/slack-harness.ts");
    const restarted = slackChannel({
      botToken: "xoxb-test-token",
      signingSecret: "restart-signing-secret",
      approvers: APPROVERS,
      clientOptions: { retryConfig: { retries: 0 } },
      now: harness.now,
    });
    await restarted.settled?.(await harness.getPause(pause.pause_id), harness.server.server.service);
    const updates = harness.api.of("chat.update");
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({ channel: FINANCE_CHANNEL_ID, ts: cardTs });
    expect(JSON.stringify(updates[0]?.blocks)).toContain("Reason: Duplicate invoice");
  });
});
