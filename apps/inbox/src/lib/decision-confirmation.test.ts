import type { Pause } from "@countersign/core";
import { describe, expect, it } from "vitest";
import { approvalNeedsConfirmation, effectiveRisk } from "./decision-confirmation.ts";

const declared = (risk?: "low" | "high") => ({ action: { type: "payment", ...(risk && { risk }) } }) as Pause;

describe("the confirm rule", () => {
  it("asks again at high and critical risk only", () => {
    expect(
      [undefined, "low", "medium", "high", "critical"].map((risk) =>
        approvalNeedsConfirmation(risk as never),
      ),
    ).toEqual([false, false, false, true, true]);
  });

  it("acts on the policy's effective risk over the agent's declaration", () => {
    expect(
      effectiveRisk(declared("low"), { rule: "big-payments", risk: "critical", declared_risk: "low" }),
    ).toBe("critical");
    expect(effectiveRisk(declared("high"), null)).toBe("high");
    expect(effectiveRisk(declared(), { rule: "x" })).toBeUndefined();
    expect(effectiveRisk(declared("low"), { risk: "<script>" })).toBe("low");
  });
});
