import type { Pause, PauseRequest } from "@countersign/core";
import type { PolicyHook } from "@countersign/core/server";
import { afterEach, describe, expect, it } from "vitest";
import { NOT_AN_APPROVER_TEXT } from "./interaction-handler.ts";
import { renderCard } from "./test-support/checked-card.ts";
import { type SlackHarness, startSlackHarness } from "./test-support/slack-harness.ts";
import {
  clickPayload,
  ephemeralReply,
  FINANCE_CHANNEL_ID,
  postInteraction,
} from "./test-support/slack-requests.ts";
import { LIVE_MARKUP, parsedMarkup } from "./test-support/slack-text.ts";

const AGENTS = ["refunds-eu", "refunds-us", "refunds-uk"];

function refund(index: number, amount: number, extra: Partial<PauseRequest["action"]> = {}): PauseRequest {
  return {
    agent_id: AGENTS[index % AGENTS.length] as string,
    action: {
      type: "refund",
      title: `Refund order #${1000 + index}`,
      data: { order: 1000 + index, amount, currency: "USD" },
      risk: "medium",
      ...extra,
    },
    recipients: [{ channel: "slack", target: "#finance-approvals" }],
    expires_in: 900,
  };
}

/** What the summary's blocks say, by part, for readable assertions. */
function readSummary(message: Record<string, unknown> | undefined) {
  type Block = {
    type: string;
    text?: { text: string };
    elements?: {
      text?: { text: string } | string;
      action_id?: string;
      value?: string;
      confirm?: { title: { text: string }; text: { text: string } };
    }[];
  };
  const blocks = (message?.blocks ?? []) as Block[];
  const actions = blocks.find((block) => block.type === "actions");
  return {
    text: message?.text,
    header: blocks[0]?.text?.text,
    sections: blocks.filter((block) => block.type === "section").map((block) => block.text?.text),
    buttons: (actions?.elements ?? []).map((element) =>
      typeof element.text === "object" ? element.text.text : undefined,
    ),
    approveAll: actions?.elements?.[0],
    context: blocks
      .filter((block) => block.type === "context")
      .map((block) => (block.elements?.[0] as { text: string } | undefined)?.text),
  };
}

let harness: SlackHarness;
afterEach(async () => {
  await harness.close();
});

/** The 12 amounts collected after 3 cards: $1,840 in total. */
const COLLECTED_AMOUNTS = [120, 150, 95, 180, 210, 60, 175, 140, 200, 130, 230, 150];

describe("a burst of similar pauses for one channel", () => {
  it("posts cards up to the threshold and one summary for the rest, updated as each joins", async () => {
    harness = await startSlackHarness({ summary: { threshold: 3, windowSeconds: 60 } });
    const opened: Pause[] = [];
    for (const [index, amount] of [100, 100, 100, ...COLLECTED_AMOUNTS].entries()) {
      opened.push(await harness.openPause(refund(index, amount)));
    }

    const posts = harness.api.of("chat.postMessage");
    expect(posts.map((post) => post.text)).toEqual([
      "Approval needed: Refund order #1000",
      "Approval needed: Refund order #1001",
      "Approval needed: Refund order #1002",
      "1 refund request from 1 agent, $120 in total: 1 pending",
    ]);
    const summaryTs = "1795255200.000104";
    const updates = harness.api.of("chat.update");
    // Each pause that joined updated the one summary message.
    expect(updates).toHaveLength(11);
    expect(updates.every((update) => update.ts === summaryTs && update.channel === FINANCE_CHANNEL_ID)).toBe(
      true,
    );
    const summary = readSummary(updates.at(-1));
    expect(summary.text).toBe("12 refund requests from 3 agents, $1,840 in total: 12 pending");
    expect(summary.header).toBe("12 refund requests from 3 agents, $1,840 in total");
    expect(summary.sections).toEqual([
      "*Pending* 12",
      [
        "• Refund order #1003 — refunds-eu — pending",
        "• Refund order #1004 — refunds-us — pending",
        "• Refund order #1005 — refunds-uk — pending",
        "• Refund order #1006 — refunds-eu — pending",
        "• Refund order #1007 — refunds-us — pending",
        "…and 7 more",
      ].join("\n"),
    ]);
    expect(summary.buttons).toEqual(["Approve all 12", "Review individually"]);
    expect(summary.approveAll?.confirm?.title.text).toBe("Approve all 12?");
    expect(summary.approveAll?.confirm?.text.text).toBe(
      "Approves each of the 12 pending refund requests as you, one at a time, under the same rules as the Approve button on a card. Any you may not approve stays pending.",
    );
    expect(summary.context).toEqual([
      "More than 3 refund requests reached this channel within 1 minute, so they are collected here instead of a card each.",
    ]);

    // Where each collected pause was announced is in its audit trail.
    const audit = await fetch(
      `${harness.server.url}/v1/audit?pause_id=${opened[5]?.pause_id}&type=pause.notified`,
      { headers: { authorization: `Bearer ${harness.server.adminKey}` } },
    );
    const events = ((await audit.json()) as { data: { data: unknown }[] }).data;
    expect(events.map((event) => event.data)).toEqual([
      {
        channel: "slack",
        target: "#finance-approvals",
        slack_channel: FINANCE_CHANNEL_ID,
        summary_ts: summaryTs,
      },
    ]);
  });

  it("changes nothing below the threshold, for other action types, or once the window has passed", async () => {
    harness = await startSlackHarness({ summary: { threshold: 3, windowSeconds: 60 } });
    for (const index of [0, 1, 2]) await harness.openPause(refund(index, 50));
    // Another action type in the same channel counts on its own.
    await harness.openPause(refund(3, 50, { type: "payment", title: "Pay Acme Corp $50" }));
    harness.advanceClock(61);
    for (const index of [4, 5, 6]) await harness.openPause(refund(index, 50));
    const posts = harness.api.of("chat.postMessage");
    expect(posts).toHaveLength(7);
    expect(posts.every((post) => String(post.text).startsWith("Approval needed: "))).toBe(true);
    expect(harness.api.of("chat.update")).toEqual([]);
  });

  it("keeps the agent's text inert in the summary", async () => {
    harness = await startSlackHarness({ summary: { threshold: 1, windowSeconds: 60 } });
    const title = "<!channel> *APPROVED BY CFO* <https://evil.example|ok> @here";
    await harness.openPause(refund(0, 10, { title, type: "refund <!here>" }));
    await harness.openPause(refund(1, 10, { title, type: "refund <!here>" }));
    await harness.openPause(refund(2, 10, { title, type: "refund <!here>" }));
    const summaries = [...harness.api.of("chat.postMessage").slice(1), ...harness.api.of("chat.update")];
    expect(summaries).toHaveLength(2);
    for (const message of summaries) {
      for (const markup of parsedMarkup(message as { text: string; blocks: unknown })) {
        expect(markup).not.toMatch(LIVE_MARKUP);
      }
    }
    expect(readSummary(summaries.at(-1)).text).toBe(
      "2 refund &lt;!here&gt; requests from 2 agents, $20 in total: 2 pending",
    );
  });
});

/** Refunds for VIP customers go to Bob alone; everything else to any approver. */
const vipToBob: PolicyHook = {
  evaluate: (request) =>
    request.action.data?.customer === "vip"
      ? {
          outcome: "require",
          rule: "vip-refunds",
          version: "test",
          routing: {
            approvers: ["bob@example.com"],
            approvals_required: 1,
            approvals: [],
            escalation: null,
            escalated_at: null,
          },
        }
      : null,
};

describe("Approve all on a summary", () => {
  async function burstWithTwoAliceMayNotApprove() {
    harness = await startSlackHarness(
      { summary: { threshold: 2, windowSeconds: 60 } },
      {},
      { policy: vipToBob },
    );
    await harness.openPause(refund(0, 10));
    await harness.openPause(refund(1, 10));
    const first = await harness.openPause(refund(2, 30));
    // Opened by an agent key Alice holds: she may not approve it herself.
    const { key } = await harness.server.server.issueApiKey({
      role: "agent",
      identity: "alice@example.com",
      name: "alice's agent",
      agentIds: ["*"],
    });
    const response = await fetch(`${harness.server.url}/v1/pauses`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify(refund(3, 40, { title: "Refund order #1003 (Alice's agent)" })),
    });
    const own = (await response.json()) as Pause;
    await harness.settle();
    const vip = await harness.openPause(
      refund(4, 50, {
        title: "Refund order #1004 (VIP)",
        data: { amount: 50, currency: "USD", customer: "vip" },
      }),
    );
    const last = await harness.openPause(refund(5, 60));
    const summaryTs = "1795255200.000103";
    return { first, own, vip, last, summaryTs, summary: summaryAt(summaryTs) };
  }

  it("approves each pending pause as the clicker, refuses what they may not approve, and shows the results", async () => {
    const { first, own, vip, last, summaryTs, summary: at } = await burstWithTwoAliceMayNotApprove();
    expect(readSummary(harness.api.of("chat.update").at(-1)).buttons).toEqual([
      "Approve all 4",
      "Review individually",
    ]);
    harness.api.reset();

    const click = await postInteraction(harness.interactionsUrl, summaryClick("U0ALICE", "approve_all", at));
    expect(click.status).toBe(200);
    await harness.settle();

    for (const pause of [first, last]) {
      const decided = await harness.getPause(pause.pause_id);
      expect(decided.status).toBe("approved");
      expect(decided.proof?.decided_by).toEqual({ kind: "human", id: "alice@example.com", channel: "slack" });
      expect(decided.proof?.pause_id).toBe(pause.pause_id);
    }
    expect((await harness.getPause(own.pause_id)).status).toBe("pending");
    expect((await harness.getPause(vip.pause_id)).status).toBe("pending");

    const updates = harness.api.of("chat.update");
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({ channel: FINANCE_CHANNEL_ID, ts: summaryTs });
    const summary = readSummary(updates[0]);
    expect(summary.sections[0]).toBe("*Pending* 2 · *Approved* 2");
    expect(summary.sections[2]).toMatch(
      /^:white_check_mark: \*Approve all\* by alice@example\.com via Slack · <!date\^\d+\^[^>]+>: 2 approved, 2 not approved\.$/,
    );
    expect(summary.sections[3]).toBe(
      [
        "Not approved, still pending:",
        "• Refund order #1003 (Alice's agent): An approver may not decide a pause they requested themselves: alice@example.com owns the agent key that opened it",
        "• Refund order #1004 (VIP): alice@example.com may not decide this pause: policy rule vip-refunds routes it to bob@example.com",
      ].join("\n"),
    );
    // What is left can still be approved by someone who may.
    expect(summary.buttons).toEqual(["Approve all 2", "Review individually"]);
    expect(harness.api.calls.map((call) => call.method)).toEqual(["chat.update"]);

    // Bob approves the rest: his own refusals differ (he may approve both).
    harness.api.reset();
    await postInteraction(harness.interactionsUrl, summaryClick("U0BOB", "approve_all", at));
    await harness.settle();
    expect((await harness.getPause(own.pause_id)).decision?.decided_by.id).toBe("bob@example.com");
    expect((await harness.getPause(vip.pause_id)).status).toBe("approved");
    const done = readSummary(harness.api.of("chat.update").at(-1));
    expect(done.sections[0]).toBe("*Approved* 4");
    expect(done.sections[2]).toMatch(
      /^:white_check_mark: \*Approve all\* by bob@example\.com via Slack · .*: 2 approved\.$/,
    );
    expect(done.buttons).toEqual([]);
  });

  it("lets nobody unmapped approve all, and answers a click on a summary it no longer tracks", async () => {
    const { summaryTs, summary } = await burstWithTwoAliceMayNotApprove();
    harness.api.reset();
    await postInteraction(harness.interactionsUrl, summaryClick("U0MALLORY", "approve_all", summary));
    await harness.settle();
    expect(harness.api.calls).toEqual([
      { method: "response_url", args: ephemeralReply(NOT_AN_APPROVER_TEXT) },
    ]);

    await postInteraction(
      harness.interactionsUrl,
      summaryClick("U0ALICE", "approve_all", { ts: summaryTs, summaryId: "sum_unknown" }),
    );
    await harness.settle();
    expect(harness.api.calls.at(-1)?.args).toEqual(
      ephemeralReply(
        "This summary is no longer tracked (the Countersign server restarted, or summaries were turned off). Nothing changed. Decide these requests in the inbox.",
      ),
    );
  });
});

describe("Review individually on a summary", () => {
  it("posts each pending pause's card in the summary's thread, and later ones of the burst there too", async () => {
    harness = await startSlackHarness({ summary: { threshold: 1, windowSeconds: 60 } });
    await harness.openPause(refund(0, 10));
    const second = await harness.openPause(refund(1, 20));
    const third = await harness.openPause(refund(2, 30));
    const summaryTs = "1795255200.000102";
    const at = summaryAt(summaryTs);
    await harness.server.approve(second.pause_id);
    await harness.settle();
    // Decided over the API: the summary follows.
    const followed = readSummary(harness.api.of("chat.update").at(-1));
    expect(followed.sections[0]).toBe("*Pending* 1 · *Approved* 1");
    expect(followed.sections[1]).toBe(
      "• Refund order #1001 — refunds-us — approved\n• Refund order #1002 — refunds-uk — pending",
    );
    expect(followed.buttons).toEqual(["Approve all 1", "Review individually"]);
    harness.api.reset();

    await postInteraction(harness.interactionsUrl, summaryClick("U0ALICE", "review", at));
    await harness.settle();
    const posts = harness.api.of("chat.postMessage");
    const card = renderCard(await harness.getPause(third.pause_id), {
      now: harness.now(),
      governance: {},
      inboxUrl: `${harness.server.url}/inbox/pauses/${third.pause_id}`,
    });
    // The approved one needs no card; the pending one gets its own, threaded under the summary.
    expect(posts).toEqual([
      {
        channel: FINANCE_CHANNEL_ID,
        thread_ts: summaryTs,
        text: "Approval needed: Refund order #1002",
        blocks: card.blocks,
        unfurl_links: "false",
        unfurl_media: "false",
      },
    ]);
    const summary = readSummary(harness.api.of("chat.update").at(-1));
    expect(summary.buttons).toEqual([]);
    expect(summary.sections).toContain(
      ":thread: *Posted one by one* in this thread by alice@example.com: decide each card there.",
    );
    expect(summary.sections[0]).toBe("*Pending* 1 · *Approved* 1");

    // The rest of the burst goes to the thread as cards.
    harness.api.reset();
    await harness.openPause(refund(3, 40));
    expect(harness.api.of("chat.postMessage")).toEqual([
      expect.objectContaining({
        channel: FINANCE_CHANNEL_ID,
        thread_ts: summaryTs,
        text: "Approval needed: Refund order #1003",
      }),
    ]);
    expect(readSummary(harness.api.of("chat.update").at(-1)).header).toBe(
      "3 refund requests from 3 agents, $90 in total",
    );

    // A threaded card decides like any card, and the summary follows.
    harness.api.reset();
    const threadedTs = "1795255200.000103";
    await postInteraction(
      harness.interactionsUrl,
      clickPayload({
        userId: "U0BOB",
        actionId: "countersign_approve",
        pauseId: third.pause_id,
        ts: threadedTs,
      }),
    );
    await harness.settle();
    expect((await harness.getPause(third.pause_id)).decision?.decided_by.id).toBe("bob@example.com");
    const updated = harness.api.of("chat.update");
    expect(updated.map((update) => update.ts).sort()).toEqual([summaryTs, threadedTs]);
    expect(readSummary(updated.find((update) => update.ts === summaryTs)).sections[0]).toBe(
      "*Pending* 1 · *Approved* 2",
    );
  });
});

/** A click on a summary's button, as Slack sends it; the buttons carry the summary's id. */
function summaryClick(
  userId: string,
  button: "approve_all" | "review",
  location: { ts: string; summaryId: string },
): Record<string, unknown> {
  const actionId =
    button === "approve_all" ? "countersign_summary_approve_all" : "countersign_summary_review";
  return {
    ...clickPayload({ userId, actionId: "countersign_approve", pauseId: "unused", ts: location.ts }),
    actions: [
      {
        action_id: actionId,
        block_id: "countersign_summary_actions",
        value: location.summaryId,
        type: "button",
      },
    ],
  };
}

/** The summary message at `ts` as last sent, and the id its buttons carry. */
function summaryAt(ts: string): { ts: string; summaryId: string } {
  const sent = harness.api.calls
    .filter(
      (call) =>
        (call.method === "chat.update" && call.args.ts === ts) ||
        (call.method === "chat.postMessage" && String(call.args.text).includes(" pending")),
    )
    .at(-1)?.args;
  const blocks = (sent?.blocks ?? []) as { type: string; elements?: { value?: string }[] }[];
  const summaryId = blocks.find((block) => block.type === "actions")?.elements?.[0]?.value;
  if (!summaryId) throw new Error(`no summary with buttons at ${ts}`);
  return { ts, summaryId };
}
