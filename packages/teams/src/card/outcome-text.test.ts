import type { Pause } from "@countersign/core";
import { describe, expect, it } from "vitest";
import { deciderText } from "./outcome-text.ts";

const decided = (decidedBy: Record<string, unknown>) =>
  ({
    decision: {
      status: "approved",
      decided_by: decidedBy,
      reason: null,
      data: null,
      decided_at: "2026-11-21T10:00:00.000Z",
    },
  }) as unknown as Pause;

describe("deciderText", () => {
  it("names the grantor of a standing grant, and the rule of a policy", () => {
    expect(
      deciderText(
        decided({ kind: "grant", id: "grant:grt_1", grant_id: "grt_1", granted_by: "alice@example.com" }),
      ),
    ).toBe("a standing grant by alice@example.com");
    expect(deciderText(decided({ kind: "policy", id: "policy:small", rule: "small" }))).toBe(
      "policy rule small",
    );
  });
});
