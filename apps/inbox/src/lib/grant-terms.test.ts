import type { Pause } from "@countersign/core";
import { describe, expect, it } from "vitest";
import { draftFromPause, durationChoices, durationText, numericArguments } from "./grant-terms.ts";

const pause = (data: Record<string, unknown>) =>
  ({ agent_id: "support-bot", action: { type: "refund", data } }) as unknown as Pause;

describe("grant terms from a card", () => {
  it("bounds the amount when there is one, else the first number, top level first", () => {
    expect(draftFromPause(pause({ ticket: 7, amount: 120, currency: "USD" }), 86_400)).toEqual({
      agentId: "support-bot",
      actionType: "refund",
      bound: { field: "amount", value: 120 },
      maxCount: 5,
      durationSeconds: 3600,
    });
    expect(draftFromPause(pause({ order: { total: 80 }, seats: 3 }), 86_400).bound).toEqual({
      field: "seats",
      value: 3,
    });
    expect(draftFromPause(pause({ payee: "Acme" }), 86_400).bound).toBeNull();
  });

  it("skips negative numbers, arrays and names a condition cannot say", () => {
    expect(
      numericArguments({ delta: -5, lines: [{ qty: 1 }], "unit price": 3, order: { total: 9 } }),
    ).toEqual([{ field: "order.total", value: 9 }]);
  });

  it("offers durations up to the policy's maximum, and no more", () => {
    expect(durationChoices(3600)).toEqual([900, 3600]);
    expect(durationChoices(7200)).toEqual([900, 3600, 7200]);
    expect(draftFromPause(pause({}), 1800).durationSeconds).toBe(1800);
    expect(durationText(86_400)).toBe("1 day");
    expect(durationText(7200)).toBe("2 hours");
    expect(durationText(90)).toBe("90 seconds");
  });
});
