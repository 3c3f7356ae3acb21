import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { NOT_AN_APPROVER_TEXT } from "./interaction-handler.ts";
import { renderCard } from "./test-support/checked-card.ts";
import { PAYMENT_REQUEST, type SlackHarness, startSlackHarness } from "./test-support/slack-harness.ts";
import {
  clickPayload,
  ephemeralReply,
  FINANCE_CHANNEL_ID,
  postInteraction,
} from "./test-support/slack-requests.ts";
import { LIVE_MARKUP, parsedMarkup } from "./test-support/slack-text.ts";

let harness: SlackHarness;
beforeEach(async () => {
  harness = await startSlackHarness();
});
afterEach(async () => {
  await harness.close();
});

const firstCardTs = "1795255200.000101";

describe("a pause routed to Slack", () => {
  it("posts the card to the routed channel and records where it went", async () => {
    const pause = await harness.openPause();
    const posts = harness.api.of("chat.postMessage");
    expect(posts).toHaveLength(1);
    const card = renderCard(pause, {
      now: harness.now(),
      governance: {},
      inboxUrl: `${harness.server.url}/inbox/pauses/${pause.pause_id}`,
    });
    expect(posts[0]).toEqual({
      channel: "#finance-approvals",
      text: "Approval needed: Pay Acme Corp $12,450",
      blocks: card.blocks,
      unfurl_links: "false",
      unfurl_media: "false",
    });
    expect(JSON.stringify(posts[0]?.blocks)).toContain("*Time left*\\n15 minutes as of");

    const audit = await fetch(
      `${harness.server.url}/v1/audit?pause_id=${pause.pause_id}&type=pause.notified`,
      {
        headers: { authorization: `Bearer ${harness.server.adminKey}` },
      },
    );
    const events = ((await audit.json()) as { data: { actor: unknown; data: unknown }[] }).data;
    expect(events).toEqual([
      expect.objectContaining({
        actor: { kind: "system", id: "slack" },
        data: {
          channel: "slack",
          target: "#finance-approvals",
          slack_channel: FINANCE_CHANNEL_ID,
          ts: firstCardTs,
        },
      }),
    ]);
  });

  it("posts nothing for a pause routed elsewhere", async () => {
    await harness.openPause({
      ...PAYMENT_REQUEST,
      recipients: [{ channel: "email", target: "cfo@example.com" }],
    });
    expect(harness.api.calls).toEqual([]);
  });

  it("neutralises mrkdwn and mention injection in the action title", async () => {
    const title = "<!channel> *APPROVED BY CFO* <https://evil.example|click to approve> <@U0CEO> @here";
    const pause = await harness.openPause({
      ...PAYMENT_REQUEST,
      action: { ...PAYMENT_REQUEST.action, title },
    });
    const [post] = harness.api.of("chat.postMessage");
    const message = post as { text: string; blocks: { type: string; text?: unknown }[] };
    for (const markup of parsedMarkup(message)) expect(markup).not.toMatch(LIVE_MARKUP);
    expect(message.text).toBe(
      "Approval needed: &lt;!channel&gt; \u2217APPROVED BY CFO\u2217 &lt;https://evil.example|click to approve&gt; &lt;@U0CEO&gt; @\u200Bhere",
    );
    expect(message.blocks[0]).toEqual({
      type: "header",
      text: { type: "plain_text", text: title, emoji: false },
    });

    const click = await postInteraction(
      harness.interactionsUrl,
      clickPayload({
        userId: "U0ALICE",
        actionId: "countersign_approve",
        pauseId: pause.pause_id,
        ts: firstCardTs,
      }),
    );
    expect(click.status).toBe(200);
    await harness.settle();
    const [update] = harness.api.of("chat.update") as { text: string; blocks: unknown }[];
    for (const markup of parsedMarkup(update as { text: string; blocks: unknown })) {
      expect(markup).not.toMatch(LIVE_MARKUP);
    }
  });
});

describe("Approve in Slack", () => {
  it("acknowledges, records the decision with the Slack user as approver and updates the card in place", async () => {
    const pause = await harness.openPause();
    harness.api.reset();
    const response = await postInteraction(
      harness.interactionsUrl,
      clickPayload({
        userId: "U0ALICE",
        actionId: "countersign_approve",
        pauseId: pause.pause_id,
        ts: firstCardTs,
      }),
    );
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("");
    await harness.settle();

    const decided = await harness.getPause(pause.pause_id);
    expect(decided.status).toBe("approved");
    expect(decided.decision?.decided_by).toEqual({
      kind: "human",
      id: "alice@example.com",
      channel: "slack",
    });
    expect(decided.proof?.decided_by).toEqual({ kind: "human", id: "alice@example.com", channel: "slack" });
    expect(decided.proof?.human_response).toBe(true);

    const updates = harness.api.of("chat.update");
    expect(updates).toHaveLength(1);
    const card = renderCard(decided, { now: harness.now(), governance: {}, inboxUrl: null });
    expect(updates[0]).toEqual({
      channel: FINANCE_CHANNEL_ID,
      ts: firstCardTs,
      text: card.text,
      blocks: card.blocks,
    });
    expect(updates[0]?.text).toBe("Approved: Pay Acme Corp $12,450, by alice@example.com via Slack");
    const blocks = updates[0]?.blocks as { type: string; text?: { text: string } }[];
    expect(blocks.some((block) => block.type === "actions")).toBe(false);
    expect(blocks[1]?.text?.text).toMatch(
      /^:white_check_mark: \*Approved\* by alice@example\.com via Slack · <!date\^\d+\^\{date_short_pretty\} at \{time\}\|2026-11-21 10:00 UTC>$/,
    );
    expect(harness.api.of("chat.postEphemeral")).toEqual([]);
    expect(harness.api.of("response_url")).toEqual([]);
  });

  it("tells a late clicker who already decided, and changes nothing", async () => {
    const pause = await harness.openPause();
    await harness.server.approve(pause.pause_id);
    await harness.settle();
    expect(harness.api.of("chat.update")).toHaveLength(1);
    expect(harness.api.of("chat.update")[0]?.text).toBe(
      "Approved: Pay Acme Corp $12,450, by alice@example.com via the API",
    );
    harness.api.reset();

    await postInteraction(
      harness.interactionsUrl,
      clickPayload({
        userId: "U0BOB",
        actionId: "countersign_approve",
        pauseId: pause.pause_id,
        ts: firstCardTs,
      }),
    );
    await harness.settle();
    const [ephemeral] = harness.api.of("response_url");
    expect(ephemeral).toEqual(
      ephemeralReply(
        expect.stringMatching(
          /^Already decided by alice@example\.com via the API: approved <!date\^\d+\^[^>]+>\. Nothing changed\.$/,
        ),
      ),
    );
    // The clicked card still showed buttons, so it is brought up to date again.
    expect(harness.api.calls.map((call) => call.method)).toEqual(["response_url", "chat.update"]);
    expect(harness.api.of("chat.update")[0]).toMatchObject({ channel: FINANCE_CHANNEL_ID, ts: firstCardTs });
    const after = await harness.getPause(pause.pause_id);
    expect(after.decision?.decided_by.id).toBe("alice@example.com");
    expect(after.decision?.decided_by.channel).toBe("api");
  });

  it("lets nobody unmapped decide: an ephemeral explanation and nothing changes", async () => {
    const pause = await harness.openPause();
    harness.api.reset();
    for (const actionId of ["countersign_approve", "countersign_reject"] as const) {
      const response = await postInteraction(
        harness.interactionsUrl,
        clickPayload({ userId: "U0MALLORY", actionId, pauseId: pause.pause_id, ts: firstCardTs }),
      );
      expect(response.status).toBe(200);
    }
    await harness.settle();
    expect((await harness.getPause(pause.pause_id)).status).toBe("pending");
    expect(harness.api.calls).toEqual([
      { method: "response_url", args: ephemeralReply(NOT_AN_APPROVER_TEXT) },
      { method: "response_url", args: ephemeralReply(NOT_AN_APPROVER_TEXT) },
    ]);
  });

  it("refuses the requester approving their own pause, with the reason", async () => {
    const pause = await harness.openPause();
    harness.api.reset();
    await postInteraction(
      harness.interactionsUrl,
      clickPayload({
        userId: "U0OWNER",
        actionId: "countersign_approve",
        pauseId: pause.pause_id,
        ts: firstCardTs,
      }),
    );
    await harness.settle();
    expect((await harness.getPause(pause.pause_id)).status).toBe("pending");
    expect(harness.api.calls).toEqual([
      {
        method: "response_url",
        args: ephemeralReply(
          "You may not decide this request: An approver may not decide a pause they requested themselves: agent-owner@example.com owns the agent key that opened it. Nothing changed.",
        ),
      },
    ]);
  });

  it("acknowledges the Open in inbox button without deciding", async () => {
    const pause = await harness.openPause();
    harness.api.reset();
    const response = await postInteraction(
      harness.interactionsUrl,
      clickPayload({
        userId: "U0ALICE",
        actionId: "countersign_open_inbox",
        pauseId: pause.pause_id,
        ts: firstCardTs,
      }),
    );
    expect(response.status).toBe(200);
    await harness.settle();
    expect((await harness.getPause(pause.pause_id)).status).toBe("pending");
    expect(harness.api.calls).toEqual([]);
  });
});
