import type { Pause } from "@countersign/core";
import { describe, expect, it } from "vitest";
import { renderSummary, type SummaryView, totalAmount } from "./summary-blocks.ts";
import { checkSummaryOptions, createBurstWindow } from "./summary-window.ts";
import { blockKitProblems } from "./test-support/block-kit-limits.ts";
import { pauseFixture } from "./test-support/pause-fixture.ts";

const refund = (
  index: number,
  data: NonNullable<Pause["action"]["data"]>,
  title = `Refund order #${index}`,
) =>
  pauseFixture({ pause_id: `pau_${index}`, agent_id: `agent-${index % 3}` }, { type: "refund", title, data });

describe("the summary's total", () => {
  it("adds a shared amount in one currency, and adds nothing it cannot add honestly", () => {
    expect(
      totalAmount([
        refund(1, { amount: 1_200.5, currency: "EUR" }),
        refund(2, { amount: 39.5, currency: "EUR" }),
      ]),
    ).toBe("€1,240");
    expect(totalAmount([refund(1, { amount: 3 }), refund(2, { amount: 4 })])).toBe("7");
    expect(
      totalAmount([
        refund(1, { amount: 3, currency: "credits" }),
        refund(2, { amount: 4, currency: "credits" }),
      ]),
    ).toBe("7 credits");
    // Dollars and euros, a missing amount, an amount as text: no total.
    expect(
      totalAmount([refund(1, { amount: 3, currency: "USD" }), refund(2, { amount: 4, currency: "EUR" })]),
    ).toBeNull();
    expect(totalAmount([refund(1, { amount: 3 }), refund(2, {})])).toBeNull();
    expect(totalAmount([refund(1, { amount: "3" })])).toBeNull();
  });
});

describe("a full summary", () => {
  it("stays within Block Kit's limits with 100 long requests and 100 long refusals", () => {
    const items = Array.from({ length: 100 }, (_, index) =>
      refund(index, { amount: index, currency: "USD" }, `Refund ${"x".repeat(400)} ${index}`),
    );
    const view: SummaryView = {
      summaryId: "sum_test",
      actionType: "r".repeat(300),
      items,
      threshold: 5,
      windowSeconds: 90,
      reviewedIndividuallyBy: null,
      lastBatch: {
        by: "alice@example.com",
        at: "2026-11-21T10:05:00.000Z",
        results: items.map((pause) => ({ pause, outcome: "refused" as const, reason: "y".repeat(1_000) })),
      },
    };
    const message = renderSummary(view);
    expect(blockKitProblems(message)).toEqual([]);
    const texts = JSON.stringify(message.blocks);
    expect(texts).toContain("…and 95 more");
    expect(texts).toMatch(/…and \d+ more"/);
    expect(texts).toContain("within 90 seconds");
  });
});

describe("summary options", () => {
  it("default the window to a minute and name the field that is out of range", () => {
    expect(checkSummaryOptions({ threshold: 5 })).toEqual({ threshold: 5, windowSeconds: 60 });
    expect(() => checkSummaryOptions({ threshold: 0 })).toThrow(/summary\.threshold/);
    expect(() => checkSummaryOptions({ threshold: 2.5 })).toThrow(/summary\.threshold/);
    expect(() => checkSummaryOptions({ threshold: 5, windowSeconds: 0 })).toThrow(/summary\.windowSeconds/);
  });

  it("count arrivals per key within a sliding window", () => {
    const window = createBurstWindow(60);
    expect(window.arrive("a", 0)).toBe(1);
    expect(window.arrive("a", 30_000)).toBe(2);
    expect(window.arrive("b", 30_000)).toBe(1);
    expect(window.arrive("a", 60_000)).toBe(2);
    expect(window.arrive("a", 200_000)).toBe(1);
  });
});
