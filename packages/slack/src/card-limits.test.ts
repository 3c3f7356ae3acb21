import { describe, expect, it } from "vitest";
import { approvableInSlack } from "./card-blocks.ts";
import { blockKitProblems } from "./test-support/block-kit-limits.ts";
import { renderCard } from "./test-support/checked-card.ts";
import { pauseFixture } from "./test-support/pause-fixture.ts";
import { LIVE_MARKUP, parsedMarkup, textObjects } from "./test-support/slack-text.ts";

const now = new Date("2026-11-21T10:01:00.000Z");
const options = { now, governance: {}, inboxUrl: "https://countersign.example/inbox/pauses/pau_test123" };

type Block = {
  type: string;
  text?: { text: string };
  elements?: { action_id?: string; text?: { text: string } }[];
};
const buttons = (blocks: unknown) =>
  ((blocks as Block[]).find((block) => block.type === "actions")?.elements ?? []).map(
    (element) => element.action_id,
  );

/** A purchase order as agents write them: 300 lines, over 10,000 characters. */
const LONG_BODY = [
  "## Purchase order PO-7731",
  "",
  "| Line | Item | Qty | Price |",
  "|--:|---|--:|--:|",
  ...Array.from(
    { length: 300 },
    (_, index) => `| ${index + 1} | Widget model ${index} | ${index % 9} | $${index}.00 |`,
  ),
].join("\n");

describe("a card that cannot show the whole request", () => {
  it("says how much is hidden, puts Open in inbox first and stays within every limit (10,000-character body)", () => {
    expect(LONG_BODY.length).toBeGreaterThan(10_000);
    const card = renderCard(
      pauseFixture({}, { body: LONG_BODY, data: { lines: "x".repeat(4_000) } }),
      options,
    );
    expect(card.hidden?.details).toBeGreaterThan(4_000);
    expect(card.hidden?.arguments).toBe(1_217);
    const notice = (card.blocks as Block[]).find((block) => block.text?.text.startsWith(":warning:"));
    expect(notice?.text?.text).toMatch(
      /^:warning: \*This card does not show the whole request:\* [\d,]+ characters of the details and 1,217 characters of the arguments are hidden\. Open it in the inbox to read everything before you approve\.$/,
    );
    expect(buttons(card.blocks)).toEqual([
      "countersign_open_inbox",
      "countersign_approve",
      "countersign_reject",
    ]);
    const actions = (card.blocks as Block[]).find((block) => block.type === "actions");
    expect(actions?.elements?.[0]?.text?.text).toBe("Open in inbox to read all");
    expect(blockKitProblems(card)).toEqual([]);
    expect(approvableInSlack(card, { requireInboxWhenTruncated: false })).toBe(true);
  });

  it("offers no Approve button when the admin requires the inbox for such cards", () => {
    const card = renderCard(pauseFixture({}, { body: LONG_BODY }), {
      ...options,
      requireInboxWhenTruncated: true,
    });
    expect(buttons(card.blocks)).toEqual(["countersign_open_inbox", "countersign_reject"]);
    expect(JSON.stringify(card.blocks)).toContain(
      "approving is off in Slack for cards that do not show everything",
    );
    expect(approvableInSlack(card, { requireInboxWhenTruncated: true })).toBe(false);
    // A card that shows everything keeps its Approve button under the same option.
    const short = renderCard(pauseFixture(), { ...options, requireInboxWhenTruncated: true });
    expect(short.hidden).toBeNull();
    expect(buttons(short.blocks)).toEqual([
      "countersign_approve",
      "countersign_reject",
      "countersign_open_inbox",
    ]);
  });

  it("names every approver of a 30-person quorum that fits in the 2,000-character field, and counts the rest", () => {
    const approvedBy = Array.from(
      { length: 30 },
      (_, index) => `approver-${index}-${"x".repeat(70)}@example.com`,
    );
    const card = renderCard(pauseFixture(), {
      ...options,
      governance: { rule: "board-approval", approvalsRequired: 30, approvedBy },
    });
    const field = textObjects(card.blocks).find((object) => object.text.startsWith("*Approvals*"));
    expect(field?.text.length).toBeLessThanOrEqual(2_000);
    expect(field?.text).toMatch(
      /^\*Approvals\*\n30 of 30 approvals: approver-0-x+@example\.com, .* and \d+ more$/,
    );
    expect(blockKitProblems(card)).toEqual([]);
  });
});

describe("the agent's Markdown body on the card", () => {
  it("reads as mrkdwn: headings bold, nested lists numbered as written, tables monospaced, images and links as visible text", () => {
    const body = [
      "## Why **Jane Doe**",
      "",
      "3. check the PO",
      "   1. amount",
      "   2. payee",
      "4. pay",
      "",
      "| Item | Qty |",
      "|---|--:|",
      "| Widget | 2 |",
      "",
      "![scan](https://example.com/scan.png) [order](https://example.com/o/7) [x](javascript:alert(1))",
    ].join("\n");
    const card = renderCard(pauseFixture({}, { description: "", body }), options);
    const section = textObjects(card.blocks).find((object) => object.text.includes("Jane Doe"));
    expect(section).toEqual({
      type: "mrkdwn",
      text: [
        "*Why Jane Doe*",
        "",
        "3. check the PO\n    1. amount\n    2. payee\n4. pay",
        "",
        "```\nItem   | Qty\n-------|----\nWidget | 2\n```",
        "",
        "Image: scan (https://example.com/scan.png) order (https://example.com/o/7) [x](javascript:alert(1))",
      ].join("\n"),
    });
    for (const markup of parsedMarkup(card)) expect(markup).not.toMatch(LIVE_MARKUP);
  });

  it("keeps mentions, links and fences inert wherever the agent hides them: text, code, tables, link labels", () => {
    const body = [
      "Hi <!channel> and <@U0CEO> @here",
      "",
      "`<!everyone>` and ```` ``` ```` break",
      "",
      "| who | note |",
      "|---|---|",
      "| <!here> | <https://evil.example|approve> |",
      "",
      "[<!channel> approve](https://example.com/x)",
      "",
      "```",
      "<@U0CEO> ``` <!channel>",
      "```",
    ].join("\n");
    const card = renderCard(pauseFixture({}, { description: "", body }), options);
    for (const markup of parsedMarkup(card)) expect(markup).not.toMatch(LIVE_MARKUP);
    const section = textObjects(card.blocks).find((object) => object.text.startsWith("Hi "));
    expect(section?.text).toContain("Hi &lt;!channel&gt; and &lt;@U0CEO&gt; @\u200Bhere");
    // Only the app's own fences open and close code blocks.
    expect(section?.text.match(/```/g)?.length).toBe(4);
  });
});
