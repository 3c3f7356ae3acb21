import { describe, expect, it } from "vitest";
import { describeMismatches, findMismatches } from "./action-mismatch.ts";

describe("naming where a request differs from the approved action", () => {
  it("walks objects member by member and compares arrays and scalars whole, in canonical form", () => {
    const approved = { type: "payment", data: { amount: 10, to: { iban: "DE1" }, lines: [1, 2], memo: "x" } };
    const requested = {
      type: "refund",
      data: { to: { iban: "DE2" }, lines: [1, 2, 3], amount: 10, extra: true },
    };
    expect(findMismatches(approved, requested, "")).toEqual([
      { path: ".data.extra", approved: undefined, requested: true },
      { path: ".data.lines", approved: [1, 2], requested: [1, 2, 3] },
      { path: ".data.memo", approved: "x", requested: undefined },
      { path: ".data.to.iban", approved: "DE1", requested: "DE2" },
      { path: ".type", approved: "payment", requested: "refund" },
    ]);
    expect(findMismatches({ a: { y: 1, x: 2 } }, { a: { x: 2, y: 1 } }, "")).toEqual([]);
    expect(findMismatches({ n: 1 }, { n: 1.0 }, "")).toEqual([]);
  });

  it("describes mismatches in one line, shortening long values", () => {
    const text = describeMismatches([
      { path: "data.amount", approved: 12000, requested: 12450 },
      { path: "data.memo", approved: undefined, requested: "y".repeat(200) },
    ]);
    expect(text).toMatch(
      /^data\.amount \(approved 12000, requested 12450\); data\.memo \(approved nothing, requested "y+\.\.\.\)$/,
    );
  });
});
