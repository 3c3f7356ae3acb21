import type { Pause } from "@countersign/core";
import { describe, expect, it } from "vitest";
import { facets, pauseTitle, sortPauses } from "./pause-order.ts";

function pause(
  id: string,
  fields: {
    risk?: "low" | "medium" | "high" | "critical";
    created: string;
    expires: string;
    status?: Pause["status"];
    agent?: string;
    type?: string;
  },
): Pause {
  return {
    pause_id: id,
    status: fields.status ?? "pending",
    agent_id: fields.agent ?? "billing-agent",
    action: { type: fields.type ?? "payment", ...(fields.risk && { risk: fields.risk }) },
    created_at: fields.created,
    expires_at: fields.expires,
  } as Pause;
}

const pauses = [
  pause("low-soon", { risk: "low", created: "2026-11-21T10:05:00Z", expires: "2026-11-21T10:10:00Z" }),
  pause("high-late", { risk: "high", created: "2026-11-21T10:01:00Z", expires: "2026-11-21T11:00:00Z" }),
  pause("high-soon", {
    risk: "high",
    created: "2026-11-21T10:00:00Z",
    expires: "2026-11-21T10:20:00Z",
    agent: "deploy-bot",
    type: "deploy",
  }),
  pause("unstated", { created: "2026-11-21T10:03:00Z", expires: "2026-11-21T10:30:00Z" }),
  pause("critical-done", {
    risk: "critical",
    created: "2026-11-21T10:06:00Z",
    expires: "2026-11-21T10:30:00Z",
    status: "approved",
  }),
];

describe("ordering the list", () => {
  it("puts pending first, then higher risk, then the soonest expiry", () => {
    expect(sortPauses(pauses, "urgent").map((item) => item.pause_id)).toEqual([
      "high-soon",
      "high-late",
      "unstated",
      "low-soon",
      "critical-done",
    ]);
  });

  it("can show the newest first", () => {
    expect(sortPauses(pauses, "newest").map((item) => item.pause_id)).toEqual([
      "critical-done",
      "low-soon",
      "unstated",
      "high-late",
      "high-soon",
    ]);
  });

  it("lists what there is to filter by", () => {
    expect(facets(pauses)).toEqual({ agents: ["billing-agent", "deploy-bot"], types: ["deploy", "payment"] });
  });

  it("titles a pause by its title, else its description, else its type", () => {
    expect(pauseTitle({ action: { type: "refund", title: " Refund #1 " } } as Pause)).toBe("Refund #1");
    expect(pauseTitle({ action: { type: "refund", description: "Refund Jane\nmore" } } as Pause)).toBe(
      "Refund Jane",
    );
    expect(pauseTitle({ action: { type: "refund" } } as Pause)).toBe("refund");
  });
});
