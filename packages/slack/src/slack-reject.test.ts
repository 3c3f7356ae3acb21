import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildReasonModal } from "./test-support/checked-card.ts";
import { type SlackHarness, startSlackHarness } from "./test-support/slack-harness.ts";
import {
  clickPayload,
  ephemeralReply,
  FINANCE_CHANNEL_ID,
  postInteraction,
  RESPONSE_URL,
  reasonSubmission,
} from "./test-support/slack-requests.ts";

let harness: SlackHarness;
beforeEach(async () => {
  harness = await startSlackHarness();
});
afterEach(async () => {
  await harness.close();
});

const cardTs = "1795255200.000101";

async function openModal(userId = "U0BOB") {
  const pause = await harness.openPause();
  harness.api.reset();
  const response = await postInteraction(
    harness.interactionsUrl,
    clickPayload({ userId, actionId: "countersign_reject", pauseId: pause.pause_id, ts: cardTs }),
  );
  expect(response.status).toBe(200);
  await harness.settle();
  return pause;
}

describe("Reject in Slack", () => {
  it("opens a modal asking for the reason, and decides nothing yet", async () => {
    const pause = await openModal();
    const [opened] = harness.api.of("views.open");
    expect(opened).toEqual({
      trigger_id: "1795255200.000001.trigger",
      view: buildReasonModal(pause, {
        pauseId: pause.pause_id,
        channel: FINANCE_CHANNEL_ID,
        ts: cardTs,
        responseUrl: RESPONSE_URL,
      }),
    });
    expect((await harness.getPause(pause.pause_id)).status).toBe("pending");
    expect(harness.api.of("chat.update")).toEqual([]);
  });

  it("keeps the modal open with an error when no reason is given", async () => {
    const pause = await openModal();
    const view = harness.api.of("views.open")[0]?.view as { private_metadata: string };
    harness.api.reset();
    const response = await postInteraction(
      harness.interactionsUrl,
      reasonSubmission({
        userId: "U0BOB",
        privateMetadata: view.private_metadata,
        preset: "other",
        explanation: null,
      }),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      response_action: "errors",
      errors: { reason_text: "Explain why you reject this action." },
    });
    await harness.settle();
    expect((await harness.getPause(pause.pause_id)).status).toBe("pending");
    expect(harness.api.calls).toEqual([]);
  });

  it("records the rejection with the reason and the Slack user, and updates the card", async () => {
    const pause = await openModal();
    const view = harness.api.of("views.open")[0]?.view as { private_metadata: string };
    harness.api.reset();
    const response = await postInteraction(
      harness.interactionsUrl,
      reasonSubmission({
        userId: "U0BOB",
        privateMetadata: view.private_metadata,
        preset: "wrong_details",
        explanation: "Invoice INV-2291 says $1,245",
      }),
    );
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("");
    await harness.settle();

    const decided = await harness.getPause(pause.pause_id);
    expect(decided.status).toBe("rejected");
    expect(decided.decision?.reason).toBe("The amount or details are wrong: Invoice INV-2291 says $1,245");
    expect(decided.proof?.decided_by).toEqual({ kind: "human", id: "bob@example.com", channel: "slack" });

    const updates = harness.api.of("chat.update");
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({
      channel: FINANCE_CHANNEL_ID,
      ts: cardTs,
      text: "Rejected: Pay Acme Corp $12,450, by bob@example.com via Slack",
    });
    const blocks = updates[0]?.blocks as { type: string; text?: { type: string; text: string } }[];
    expect(blocks[1]?.text?.text).toMatch(/^:x: \*Rejected\* by bob@example\.com via Slack · <!date\^/);
    expect(blocks[2]).toEqual({
      type: "section",
      text: {
        type: "plain_text",
        text: "Reason: The amount or details are wrong: Invoice INV-2291 says $1,245",
        emoji: false,
      },
    });
    expect(blocks.some((block) => block.type === "actions")).toBe(false);
  });

  it("tells an approver whose modal was overtaken by another decision who decided", async () => {
    const pause = await openModal();
    const view = harness.api.of("views.open")[0]?.view as { private_metadata: string };
    await harness.server.approve(pause.pause_id);
    await harness.settle();
    harness.api.reset();

    await postInteraction(
      harness.interactionsUrl,
      reasonSubmission({
        userId: "U0BOB",
        privateMetadata: view.private_metadata,
        preset: "unexpected",
        explanation: null,
      }),
    );
    await harness.settle();
    expect((await harness.getPause(pause.pause_id)).status).toBe("approved");
    // The modal carried the click's response_url, so the reply reaches the clicker without the bot in the channel.
    expect(harness.api.of("response_url")[0]).toEqual(
      ephemeralReply(expect.stringMatching(/^Already decided by alice@example\.com via the API: approved/)),
    );
  });

  it("does not open the modal on a decided pause", async () => {
    const pause = await harness.openPause();
    await harness.server.reject(pause.pause_id, "Duplicate");
    await harness.settle();
    harness.api.reset();
    await postInteraction(
      harness.interactionsUrl,
      clickPayload({ userId: "U0BOB", actionId: "countersign_reject", pauseId: pause.pause_id, ts: cardTs }),
    );
    await harness.settle();
    expect(harness.api.of("views.open")).toEqual([]);
    expect(harness.api.of("response_url")[0]?.text).toMatch(
      /^Already decided by alice@example\.com via the API: rejected/,
    );
  });
});
