import type { Pause } from "@countersign/core";
import { describe, expect, it } from "vitest";
import { renderCard } from "./test-support/checked-card.ts";
import { pauseFixture } from "./test-support/pause-fixture.ts";
import { LIVE_MARKUP, parsedMarkup, textObjects } from "./test-support/slack-text.ts";

const now = new Date("2026-11-21T10:01:00.000Z");
const options = { now, governance: {}, inboxUrl: "https://countersign.example/inbox/pauses/pau_test123" };

function decided(
  status: "approved" | "rejected",
  reason: string | null = null,
  data: Pause["action"]["data"] | null = null,
): Pause {
  return pauseFixture({
    status,
    decision: {
      status,
      decided_by: { kind: "human", id: "alice@example.com", channel: "slack" },
      reason,
      data: data ?? null,
      decided_at: "2026-11-21T10:03:00.000Z",
    },
  });
}

describe("the pending card", () => {
  it("shows the title, agent, risk, time left, routing, preview, exact arguments and the three buttons", () => {
    const card = renderCard(pauseFixture(), options);
    expect(card.text).toBe("Approval needed: Pay Acme Corp $12,450");
    expect(card.blocks).toEqual([
      { type: "header", text: { type: "plain_text", text: "Pay Acme Corp $12,450", emoji: false } },
      {
        type: "context",
        elements: [
          { type: "plain_text", text: "Agent: billing-agent", emoji: false },
          { type: "plain_text", text: "Action: payment", emoji: false },
        ],
      },
      {
        type: "section",
        fields: [
          { type: "mrkdwn", text: "*Risk*\n:large_orange_circle: High", verbatim: true },
          {
            type: "mrkdwn",
            text: "*Time left*\n14 minutes as of <!date^1795255260^{time}|2026-11-21 10:01 UTC>, expires <!date^1795256100^{date_short_pretty} at {time}|2026-11-21 10:15 UTC>",
            verbatim: true,
          },
          { type: "mrkdwn", text: "*Routed by*\nThe agent's request (no policy rule)", verbatim: true },
        ],
      },
      { type: "section", text: { type: "plain_text", text: "Quarterly invoice INV-2291", emoji: false } },
      {
        type: "rich_text",
        elements: [
          {
            type: "rich_text_section",
            elements: [{ type: "text", text: "Arguments", style: { bold: true } }],
          },
          {
            type: "rich_text_preformatted",
            elements: [
              {
                type: "text",
                text: '{\n  "payee": "Acme Corp",\n  "amount": 12450,\n  "currency": "USD"\n}',
              },
            ],
          },
        ],
      },
      {
        type: "actions",
        block_id: "countersign_actions",
        elements: [
          {
            type: "button",
            action_id: "countersign_approve",
            text: { type: "plain_text", text: "Approve" },
            style: "primary",
            value: "pau_test123",
            confirm: {
              title: { type: "plain_text", text: "Approve this action?" },
              text: { type: "plain_text", text: "Pay Acme Corp $12,450", emoji: false },
              confirm: { type: "plain_text", text: "Approve" },
              deny: { type: "plain_text", text: "Cancel" },
            },
          },
          {
            type: "button",
            action_id: "countersign_reject",
            text: { type: "plain_text", text: "Reject" },
            style: "danger",
            value: "pau_test123",
          },
          {
            type: "button",
            action_id: "countersign_open_inbox",
            text: { type: "plain_text", text: "Open in inbox" },
            url: "https://countersign.example/inbox/pauses/pau_test123",
            value: "pau_test123",
          },
        ],
      },
      {
        type: "context",
        elements: [
          { type: "plain_text", text: "Pause pau_test123", emoji: false },
          {
            type: "mrkdwn",
            text: "Requested <!date^1795255200^{date_short_pretty} at {time}|2026-11-21 10:00 UTC>",
            verbatim: true,
          },
        ],
      },
    ]);
  });

  it("asks for confirmation before approving only high and critical risk", () => {
    const approveButton = (risk: Pause["action"]["risk"]) => {
      const actions = renderCard(pauseFixture({}, { risk }), options).blocks.find(
        (block) => block.type === "actions",
      );
      return (actions as { elements: { action_id: string; confirm?: unknown }[] }).elements[0];
    };
    expect(approveButton("low")?.confirm).toBeUndefined();
    expect(approveButton("medium")?.confirm).toBeUndefined();
    expect(approveButton("critical")?.confirm).toBeDefined();
  });

  it("names the action and agent when the agent gave no title, and has no inbox button without a link", () => {
    const card = renderCard(pauseFixture({}, { title: undefined }), { ...options, inboxUrl: null });
    expect(card.blocks[0]).toEqual({
      type: "header",
      text: { type: "plain_text", text: "payment requested by billing-agent", emoji: false },
    });
    const actions = card.blocks.find((block) => block.type === "actions") as {
      elements: { action_id: string }[];
    };
    expect(actions.elements.map((element) => element.action_id)).toEqual([
      "countersign_approve",
      "countersign_reject",
    ]);
  });

  it("shows the policy rule, quorum progress and escalation when governance provides them", () => {
    const card = renderCard(pauseFixture(), {
      ...options,
      governance: {
        rule: "payments-over-10k",
        approvalsRequired: 2,
        approvedBy: ["alice@example.com"],
        escalatedTo: "finance-leads",
      },
    });
    const fields = (card.blocks[2] as { fields: { text: string }[] }).fields.map((field) => field.text);
    expect(fields).toContain("*Routed by*\nRule payments-over-10k");
    expect(fields).toContain("*Approvals*\n1 of 2 approvals: alice@example.com");
    expect(fields).toContain("*Escalated to*\nfinance-leads");
  });

  it("says plainly when the arguments were too long to show in full", () => {
    const card = renderCard(pauseFixture({}, { data: { note: "x".repeat(5_000) } }), options);
    const argumentsText = JSON.stringify(card.blocks.find((block) => block.type === "rich_text"));
    expect(argumentsText).toContain("… 2,216 more characters: open the pause in the inbox for the rest");
    expect(argumentsText.length).toBeLessThan(3_200);
  });
});

describe("the decided card", () => {
  it("shows who approved, through which channel and when, and has no buttons", () => {
    const card = renderCard(decided("approved"), options);
    expect(card.text).toBe("Approved: Pay Acme Corp $12,450, by alice@example.com via Slack");
    expect(card.blocks[1]).toEqual({
      type: "section",
      text: {
        type: "mrkdwn",
        text: ":white_check_mark: *Approved* by alice@example.com via Slack · <!date^1795255380^{date_short_pretty} at {time}|2026-11-21 10:03 UTC>",
        verbatim: true,
      },
    });
    expect(card.blocks.some((block) => block.type === "actions")).toBe(false);
    expect(JSON.stringify(card.blocks)).not.toContain("Time left");
  });

  it("shows a rejection's reason as plain text", () => {
    const card = renderCard(decided("rejected", "Wrong amount: <!here> check *INV-2291*"), options);
    expect(card.text).toBe("Rejected: Pay Acme Corp $12,450, by alice@example.com via Slack");
    expect(card.blocks[2]).toEqual({
      type: "section",
      text: { type: "plain_text", text: "Reason: Wrong amount: <!here> check *INV-2291*", emoji: false },
    });
  });

  it("shows the approver's edited arguments instead of the requested ones", () => {
    const card = renderCard(
      decided("approved", null, { payee: "Acme Corp", amount: 12000, currency: "USD" }),
      options,
    );
    const argumentsText = JSON.stringify(card.blocks.find((block) => block.type === "rich_text"));
    expect(argumentsText).toContain("Arguments (edited by the approver)");
    expect(argumentsText).toContain('\\"amount\\": 12000');
  });

  it("says an expired pause counts as a rejection, and names a cancellation", () => {
    const expired = renderCard(
      pauseFixture({
        status: "expired",
        decision: {
          status: "expired",
          decided_by: { kind: "timeout", id: "timeout" },
          reason: null,
          data: null,
          decided_at: "2026-11-21T10:15:00.000Z",
        },
      }),
      options,
    );
    expect(expired.text).toBe("Expired without a decision: Pay Acme Corp $12,450");
    expect(JSON.stringify(expired.blocks[1])).toContain("*Expired* without a decision");
    expect(JSON.stringify(expired.blocks[1])).toContain("It counts as a rejection.");
    expect(expired.blocks.some((block) => block.type === "actions")).toBe(false);
    const cancelled = renderCard(pauseFixture({ status: "cancelled" }), options);
    expect(cancelled.text).toBe("Cancelled: Pay Acme Corp $12,450");
  });

  it("names the policy rule when policy decided", () => {
    const card = renderCard(
      pauseFixture({
        status: "approved",
        decision: {
          status: "approved",
          decided_by: { kind: "policy", id: "policy", rule: "small-refunds" },
          reason: null,
          data: null,
          decided_at: "2026-11-21T10:00:00.000Z",
        },
      }),
      options,
    );
    expect(card.text).toBe("Approved: Pay Acme Corp $12,450, by policy rule small-refunds");
  });

  it("names the grantor when a standing grant approved it", () => {
    const card = renderCard(
      pauseFixture({
        status: "approved",
        decision: {
          status: "approved",
          decided_by: {
            kind: "grant",
            id: "grant:grt_1",
            grant_id: "grt_1",
            granted_by: "alice@example.com",
          },
          reason: null,
          data: null,
          decided_at: "2026-11-21T10:00:00.000Z",
        },
      }),
      options,
    );
    expect(card.text).toBe("Approved: Pay Acme Corp $12,450, by a standing grant by alice@example.com");
  });
});

describe("agent-supplied text", () => {
  const attack =
    "<!channel> *URGENT* <https://evil.example|approved by CFO> <@U0CEO> @here :white_check_mark:";

  it("cannot ping, link, mention or style anything from the title, preview, agent id or arguments", () => {
    const card = renderCard(
      pauseFixture(
        { agent_id: "agent <@U0CEO>" },
        { title: attack, description: attack, body: attack, data: { memo: attack } },
      ),
      options,
    );
    for (const markup of parsedMarkup(card)) expect(markup).not.toMatch(LIVE_MARKUP);
    expect(card.text).not.toMatch(/[*_~`]/);
    // Shown exactly, as text Slack does not parse.
    expect(card.blocks[0]).toEqual({
      type: "header",
      text: { type: "plain_text", text: attack, emoji: false },
    });
    const plain = textObjects(card.blocks).filter((object) => object.type === "plain_text");
    expect(plain.map((object) => object.text)).toContain(attack);
    // The body is Markdown: rendered as mrkdwn, with every character the agent wrote made inert.
    expect(textObjects(card.blocks)).toContainEqual({
      type: "mrkdwn",
      text: "&lt;!channel&gt; \u2217URGENT\u2217 &lt;https://evil.example|approved by CFO&gt; &lt;@U0CEO&gt; @\u200Bhere :\u200Bwhite\uFF3Fcheck\uFF3Fmark:",
    });
    expect(plain.map((object) => object.text)).toContain("Agent: agent <@U0CEO>");
    const argumentsText = JSON.stringify(card.blocks.find((block) => block.type === "rich_text"));
    expect(argumentsText).toContain(JSON.stringify(JSON.stringify({ memo: attack }, null, 2)).slice(1, -1));
  });

  it("cannot forge markup through the decider or the rule either", () => {
    const card = renderCard(decided("approved"), {
      ...options,
      governance: {
        rule: "<!everyone> rule",
        approvalsRequired: 2,
        approvedBy: ["<@U1>"],
        escalatedTo: "<#C1>",
      },
    });
    for (const markup of parsedMarkup(card)) expect(markup).not.toMatch(LIVE_MARKUP);
  });
});
