import type { PolicyHook } from "@countersign/core/server";
import { afterEach, describe, expect, it } from "vitest";
import { activitiesPath } from "./test-support/bot-connector-api.ts";
import { FINANCE_CONVERSATION, LEADS_CONVERSATION } from "./test-support/teams-activities.ts";
import {
  messageReply,
  PAYMENT_REQUEST,
  startTeamsHarness,
  type TeamsHarness,
} from "./test-support/teams-harness.ts";

let harness: TeamsHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const cardId = "1795255200001";
const financeCard = activitiesPath("/emea/", FINANCE_CONVERSATION, cardId);

function updatedCards(h: TeamsHarness) {
  return h.api.updates().map((update) => ({
    path: update.path,
    summary: (update.body as { summary: string }).summary,
    content: JSON.stringify(update.body),
  }));
}

describe("a card follows its pause however it is decided", () => {
  it("shows a rejection made through the API or the inbox, with the reason", async () => {
    harness = await startTeamsHarness();
    const pause = await harness.openPause();
    harness.api.reset();
    await harness.server.reject(pause.pause_id, "Vendor is on hold");
    await harness.settle();
    const updates = updatedCards(harness);
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({
      path: financeCard,
      summary: "Rejected: Pay Acme Corp $12,450, by alice@example.com via the API",
    });
    expect(updates[0]?.content).toContain("Reason: Vendor is on hold");
    expect(updates[0]?.content).not.toContain("countersign.approve");
  });

  it("shows expiry, which counts as a rejection", async () => {
    harness = await startTeamsHarness();
    const pause = await harness.openPause();
    harness.api.reset();
    harness.advanceClock(901);
    await harness.server.server.runBackgroundOnce();
    await harness.settle();
    expect((await harness.getPause(pause.pause_id)).status).toBe("expired");
    const updates = updatedCards(harness);
    expect(updates.map((update) => update.summary)).toEqual([
      "Expired without a decision: Pay Acme Corp $12,450",
    ]);
    expect(updates[0]?.content).toContain("**Expired** without a decision");
    expect(updates[0]?.content).toContain("It counts as a rejection.");
  });

  it("shows a cancellation by the agent", async () => {
    harness = await startTeamsHarness();
    const pause = await harness.openPause();
    harness.api.reset();
    const response = await fetch(`${harness.server.url}/v1/pauses/${pause.pause_id}/cancel`, {
      method: "POST",
      headers: { authorization: `Bearer ${harness.server.agentKey}`, "content-type": "application/json" },
      body: "{}",
    });
    expect(response.status).toBe(200);
    await harness.settle();
    expect(updatedCards(harness).map((update) => update.summary)).toEqual([
      "Cancelled: Pay Acme Corp $12,450",
    ]);
  });

  it("updates the card as soon as it exists when the pause was decided while it was being posted", async () => {
    let openGate = () => {};
    const postGate = new Promise<void>((resolve) => {
      openGate = resolve;
    });
    harness = await startTeamsHarness({}, { postGate });
    const pause = await harness.openPause(PAYMENT_REQUEST, { settled: false });
    await harness.server.approve(pause.pause_id);
    openGate();
    await harness.settle();
    expect(harness.api.calls.map((call) => `${call.method} ${call.path}`)).toEqual([
      `POST ${activitiesPath("/emea/", FINANCE_CONVERSATION)}`,
      `PUT ${financeCard}`,
    ]);
    expect(updatedCards(harness)[0]?.summary).toBe(
      "Approved: Pay Acme Corp $12,450, by alice@example.com via the API",
    );
  });
});

describe("quorum and escalation", () => {
  const routing = (approvalsRequired: number, escalate: boolean): PolicyHook => ({
    evaluate: () => ({
      outcome: "require",
      rule: "payments-over-10k",
      version: "test",
      recipients: [{ channel: "teams", target: "finance-approvals" }],
      routing: {
        approvers: null,
        approvals_required: approvalsRequired,
        approvals: [],
        escalation: escalate
          ? {
              after_seconds: 600,
              to: ["group:finance-leads"],
              recipients: [{ channel: "teams", target: "finance-leads" }],
            }
          : null,
        escalated_at: null,
      },
    }),
  });

  it("records each approval toward a quorum, shows the progress on the card, and settles on the last", async () => {
    harness = await startTeamsHarness({}, {}, { policy: routing(2, false) });
    const pause = await harness.openPause();
    harness.api.reset();
    const first = await harness.click({
      user: "alice",
      verb: "countersign.approve",
      pauseId: pause.pause_id,
      activityId: cardId,
    });
    expect(first.body).toEqual(
      messageReply("Your approval is recorded (1 of 2 approvals). It still needs more approvals."),
    );
    expect((await harness.getPause(pause.pause_id)).status).toBe("pending");
    const progress = updatedCards(harness);
    expect(progress).toHaveLength(1);
    expect(progress[0]?.content).toContain("1 of 2 approvals: alice@example.com");
    expect(progress[0]?.content).toContain("countersign.approve");

    const again = await harness.click({
      user: "alice",
      verb: "countersign.approve",
      pauseId: pause.pause_id,
      activityId: cardId,
    });
    expect(again.body).toMatchObject({
      value: expect.stringMatching(/already approved.*Nothing changed\.$/i),
    });

    harness.api.reset();
    const second = await harness.click({
      user: "bob",
      verb: "countersign.approve",
      pauseId: pause.pause_id,
      activityId: cardId,
    });
    expect(second.body).toMatchObject({ type: "application/vnd.microsoft.card.adaptive" });
    const settled = await harness.getPause(pause.pause_id);
    expect(settled.status).toBe("approved");
    expect(settled.decision?.decided_by).toEqual({ kind: "human", id: "bob@example.com", channel: "teams" });
    const final = updatedCards(harness);
    expect(final).toHaveLength(1);
    expect(final[0]?.summary).toBe("Approved: Pay Acme Corp $12,450, by bob@example.com via Teams");
    expect(final[0]?.content).toContain("2 of 2 approvals: alice@example.com, bob@example.com");
  });

  it("posts to the escalation target and marks the first card when escalate_after fires, then settles both", async () => {
    harness = await startTeamsHarness({}, {}, { policy: routing(1, true) });
    const pause = await harness.openPause();
    expect(JSON.stringify(harness.api.posts()[0]?.body)).toContain("Rule payments-over-10k");
    harness.api.reset();

    harness.advanceClock(601);
    await harness.server.server.runBackgroundOnce();
    await harness.settle();
    const posts = harness.api.posts();
    expect(posts.map((post) => post.path)).toEqual([activitiesPath("/teams/", LEADS_CONVERSATION)]);
    expect(JSON.stringify(posts[0]?.body)).toContain('"title":"Escalated to","value":"group:finance-leads"');
    const marked = updatedCards(harness);
    expect(marked.map((update) => update.path)).toEqual([financeCard]);
    expect(marked[0]?.content).toContain('"title":"Escalated to","value":"group:finance-leads"');
    expect(marked[0]?.content).toContain("countersign.approve");
    harness.api.reset();

    await harness.server.approve(pause.pause_id);
    await harness.settle();
    const settled = updatedCards(harness);
    expect(settled.map((update) => update.path).sort()).toEqual(
      [financeCard, activitiesPath("/teams/", LEADS_CONVERSATION, "1795255200002")].sort(),
    );
    for (const update of settled) {
      expect(update.summary).toBe("Approved: Pay Acme Corp $12,450, by alice@example.com via the API");
    }
  });

  it("posts to the other targets when one fails, and updates only the cards that exist", async () => {
    harness = await startTeamsHarness({}, { failingConversations: [LEADS_CONVERSATION] });
    const pause = await harness.openPause({
      ...PAYMENT_REQUEST,
      recipients: [
        { channel: "teams", target: "finance-leads" },
        { channel: "teams", target: "finance-approvals" },
      ],
    });
    expect(pause.status).toBe("pending");
    expect(harness.api.posts().map((post) => post.path)).toEqual([
      activitiesPath("/teams/", LEADS_CONVERSATION),
      activitiesPath("/emea/", FINANCE_CONVERSATION),
    ]);
    await harness.server.approve(pause.pause_id);
    await harness.settle();
    expect(harness.api.updates().map((update) => update.path)).toEqual([financeCard]);
  });
});
