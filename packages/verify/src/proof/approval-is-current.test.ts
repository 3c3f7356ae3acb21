import { describe, expect, it } from "vitest";
import { approvalIsCurrent } from "./approval-is-current.ts";

describe("approvalIsCurrent", () => {
  const proof = { valid_until: "2026-11-21T10:14:00.000Z" };
  const at = (time: string) => ({ now: new Date(time) });

  it("allows 30 seconds of clock skew by default, and what the caller says otherwise", () => {
    expect(approvalIsCurrent(proof, at("2026-11-21T10:14:30.000Z"))).toBe(true);
    expect(approvalIsCurrent(proof, at("2026-11-21T10:14:30.001Z"))).toBe(false);
    expect(approvalIsCurrent(proof, { ...at("2026-11-21T10:14:00.001Z"), clockSkewSeconds: 0 })).toBe(false);
    expect(approvalIsCurrent(proof, { ...at("2026-11-21T10:16:00.000Z"), clockSkewSeconds: 120 })).toBe(true);
  });
});
