import type { Pause } from "@countersign/core";
import { describe, expect, it } from "vitest";
import { pauseFixture } from "../test-support/pause-fixture.ts";
import { adaptiveCardProblems, markdownTexts } from "../test-support/validate-card.ts";
import { renderCard } from "./adaptive-card.ts";
import { ARGUMENT_LIMITS } from "./argument-facts.ts";

const now = new Date("2026-11-21T10:00:00.000Z");
const inboxUrl = "https://countersign.example/inbox/pauses/pau_test123";

function decided(
  status: "approved" | "rejected",
  extra: Partial<NonNullable<Pause["decision"]>> = {},
): Pause {
  return pauseFixture({
    status,
    decision: {
      decision: status,
      decided_by: { kind: "human", id: "alice@example.com", channel: "teams" },
      decided_at: "2026-11-21T10:05:00.000Z",
      reason: null,
      data: null,
      ...extra,
    } as Pause["decision"],
  });
}

/** Markup that would link, mention, style or template if Teams parsed it. */
const LIVE_MARKUP = /\[[^\]]*\]\(|<at>|\*\*APPROVED|\{\{(?!DATE\(|TIME\()|https?:\/\/|www\.evil/i;

describe("the Adaptive Card", () => {
  it("is a valid schema 1.5 card with Approve, Reject with a required reason, and Open in inbox", () => {
    const { card, summary } = renderCard(pauseFixture({}, { risk: "low" }), {
      now,
      governance: {},
      inboxUrl,
    });
    expect(adaptiveCardProblems(card as unknown as Record<string, unknown>)).toEqual([]);
    expect(card.version).toBe("1.5");
    expect(summary).toBe("Approval needed: Pay Acme Corp $12,450");
    expect(card.actions).toEqual([
      {
        type: "Action.Execute",
        title: "Approve",
        verb: "countersign.approve",
        data: { pause_id: "pau_test123" },
        style: "positive",
        associatedInputs: "none",
      },
      {
        type: "Action.ShowCard",
        title: "Reject…",
        card: {
          type: "AdaptiveCard",
          body: [
            expect.objectContaining({ type: "Input.Text", id: "reason", isRequired: true, maxLength: 1000 }),
          ],
          actions: [
            {
              type: "Action.Execute",
              title: "Reject",
              verb: "countersign.reject",
              data: { pause_id: "pau_test123" },
              style: "destructive",
              associatedInputs: "auto",
            },
          ],
        },
      },
      { type: "Action.OpenUrl", title: "Open in inbox", url: inboxUrl },
    ]);
    const texts = markdownTexts(card);
    expect(texts).toContain("Pay Acme Corp $12,450");
    expect(texts).toContain("Agent: billing-agent · Action: payment");
    expect(texts).toContain("Quarterly invoice INV-2291");
    // The exact arguments as facts, each value as JSON.
    expect(card.body).toContainEqual({
      type: "FactSet",
      facts: [
        { title: "payee", value: '"Acme Corp"' },
        { title: "amount", value: "12450" },
        { title: "currency", value: '"USD"' },
      ],
    });
  });

  it("puts Approve behind a confirmation for high and critical risk", () => {
    for (const risk of ["high", "critical"] as const) {
      const { card } = renderCard(pauseFixture({}, { risk }), { now, governance: {}, inboxUrl });
      expect(adaptiveCardProblems(card as unknown as Record<string, unknown>)).toEqual([]);
      const [approve] = card.actions ?? [];
      expect(approve).toMatchObject({
        type: "Action.ShowCard",
        title: "Approve…",
        card: {
          body: [{ text: "Approve this action?" }, { text: "Pay Acme Corp $12,450" }],
          actions: [{ type: "Action.Execute", verb: "countersign.approve", associatedInputs: "none" }],
        },
      });
    }
  });

  it("shows risk, time left, expiry, the rule, quorum progress and escalation as facts", () => {
    const { card } = renderCard(pauseFixture(), {
      now,
      governance: {
        rule: "payments-over-10k",
        approvalsRequired: 2,
        approvedBy: ["alice@example.com"],
        escalatedTo: "group:finance-leads",
      },
      inboxUrl,
    });
    expect(card.body[2]).toEqual({
      type: "FactSet",
      facts: [
        { title: "Risk", value: "\u{1F7E0} High" },
        { title: "Time left", value: "15 minutes as of {{TIME(2026-11-21T10:00:00Z)}}" },
        {
          title: "Expires",
          value: "{{DATE(2026-11-21T10:15:00Z, SHORT)}} at {{TIME(2026-11-21T10:15:00Z)}}",
        },
        { title: "Routed by", value: "Rule payments-over-10k" },
        { title: "Approvals", value: "1 of 2 approvals: alice@example.com" },
        { title: "Escalated to", value: "group:finance-leads" },
      ],
    });
  });

  it("shows who decided, when and why once decided, with nothing left to click but the inbox", () => {
    const rejected = renderCard(decided("rejected", { reason: "Vendor on hold" }), {
      now,
      governance: {},
      inboxUrl,
    });
    expect(adaptiveCardProblems(rejected.card as unknown as Record<string, unknown>)).toEqual([]);
    expect(rejected.summary).toBe("Rejected: Pay Acme Corp $12,450, by alice@example.com via Teams");
    expect(rejected.card.body[1]).toEqual({
      type: "Container",
      style: "attention",
      items: [
        {
          type: "TextBlock",
          text: "\u274C **Rejected** by alice@example.com via Teams · {{DATE(2026-11-21T10:05:00Z, SHORT)}} at {{TIME(2026-11-21T10:05:00Z)}}",
          wrap: true,
        },
        { type: "TextBlock", text: "Reason: Vendor on hold", wrap: true },
      ],
    });
    expect(rejected.card.actions).toEqual([
      { type: "Action.OpenUrl", title: "Open in inbox", url: inboxUrl },
    ]);

    const edited = renderCard(decided("approved", { data: { payee: "Acme Corp", amount: 9000 } }), {
      now,
      governance: {},
      inboxUrl: null,
    });
    expect(adaptiveCardProblems(edited.card as unknown as Record<string, unknown>)).toEqual([]);
    expect(edited.card.actions).toBeUndefined();
    expect(markdownTexts(edited.card)).toContain("Arguments (edited by the approver)");
    expect(edited.card.body).toContainEqual({
      type: "FactSet",
      facts: [
        { title: "payee", value: '"Acme Corp"' },
        { title: "amount", value: "9000" },
      ],
    });
    for (const status of ["expired", "cancelled"] as const) {
      const { card } = renderCard(pauseFixture({ status }), { now, governance: {}, inboxUrl });
      expect(adaptiveCardProblems(card as unknown as Record<string, unknown>)).toEqual([]);
      expect(JSON.stringify(card)).not.toContain("Action.Execute");
    }
  });

  it("neutralises links, mentions, formatting, template functions and autolinks in agent text", () => {
    const injection =
      "[Approve](https://evil.example/approve) <at>CFO</at> **APPROVED BY CFO** {{DATE(2020-01-01T00:00:00Z)}} www.evil.example \u202Eevorppa";
    const pause = pauseFixture(
      { agent_id: "agent <at>ops</at>" },
      {
        title: injection,
        description: injection,
        body: injection,
        type: "payment [x](https://evil.example)",
        data: { "[note](https://evil.example)": injection },
      },
    );
    const { card, summary } = renderCard(pause, { now, governance: { rule: injection }, inboxUrl });
    expect(adaptiveCardProblems(card as unknown as Record<string, unknown>)).toEqual([]);
    for (const text of [...markdownTexts(card), summary, card.fallbackText ?? ""]) {
      expect(text).not.toMatch(LIVE_MARKUP);
      expect(text).not.toContain("\u202E");
    }
    // Still readable: the look-alikes keep the words.
    expect(card.body[0]).toMatchObject({
      text: expect.stringContaining(
        "\uFF3BApprove\uFF3D(https:\u200B//evil.example/approve) \u2039at\u203ACFO\u2039/at\u203A",
      ),
    });
  });

  it("cuts long text and arguments to Teams' limits and points to the inbox", () => {
    const data = Object.fromEntries(
      Array.from({ length: 40 }, (_, index) => [`field${index}`, "x".repeat(1_000)]),
    );
    const pause = pauseFixture({}, { body: "y".repeat(10_000), data });
    const { card } = renderCard(pause, { now, governance: {}, inboxUrl });
    expect(adaptiveCardProblems(card as unknown as Record<string, unknown>)).toEqual([]);
    expect(JSON.stringify(card).length).toBeLessThan(20_000);
    const facts = (card.body.find(
      (element) => element.type === "FactSet" && JSON.stringify(element).includes("field0"),
    ) ?? { facts: [] }) as { facts: { value: string }[] };
    expect(facts.facts.length).toBeLessThanOrEqual(ARGUMENT_LIMITS.facts);
    expect(facts.facts[0]?.value.length).toBe(ARGUMENT_LIMITS.value);
    expect(facts.facts[0]?.value.endsWith("\u2026")).toBe(true);
    expect(markdownTexts(card)).toContain(
      "Part of this request is cut short here. Open it in the inbox to read all of it before you decide.",
    );
    expect(card.actions?.at(-1)).toEqual({ type: "Action.OpenUrl", title: "Open in inbox", url: inboxUrl });

    const small = renderCard(pauseFixture(), { now, governance: {}, inboxUrl });
    expect(JSON.stringify(small.card)).not.toContain("cut short");
  });
});
