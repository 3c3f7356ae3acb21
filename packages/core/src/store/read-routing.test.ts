import { describe, expect, it } from "vitest";
import { RoutingSchema } from "../protocol/pause.ts";
import { readRouting } from "./read-routing.ts";

const written = {
  rule: "large-payments",
  policy_version: "sha256:abc",
  outcome: "require",
  approvers: ["group:finance"],
  approvals_required: 2,
  approvals: [{ id: "alice@example.com", channel: "slack", at: "2030-01-01T00:00:30.000Z" }],
  escalation: {
    after_seconds: 600,
    to: ["group:treasury"],
    recipients: [{ channel: "email", target: "treasury@example.com" }],
  },
  escalated_at: null,
  risk: "high",
};

// Rows an older version, or a policy hook that records anything, may have left behind.
const oddRows: [string, unknown][] = [
  ["an empty object", {}],
  ["wrong types everywhere", { rule: 1, policy_version: [], outcome: "maybe", approvals_required: "2" }],
  ["approvers as an object", { approvers: { all: true } }],
  ["approvers as a number", { approvers: 0 }],
  ["approvers with non-names", { approvers: ["alice@example.com", 7, null] }],
  ["a quorum of zero", { approvals_required: 0 }],
  ["a fractional quorum", { approvals_required: 1.5 }],
  [
    "approvals that are not approvals",
    { approvals: [{ id: "x" }, "bob", null, { id: "y", channel: "web", at: "noon" }] },
  ],
  ["approvals as an object", { approvals: { id: "x" } }],
  [
    "an approval with an unusual timestamp",
    { approvals: [{ id: "x", channel: "web", at: "2030-01-01T00:00:30Z" }] },
  ],
  ["an escalation without a delay", { escalation: { to: ["group:ops"] } }],
  [
    "an escalation with odd parts",
    { escalation: { after_seconds: 60, to: "group:ops", recipients: [{ channel: "fax" }] } },
  ],
  ["an odd escalated_at", { escalated_at: "yesterday" }],
  ["a string", "require"],
  ["an array", [1, 2]],
  ["a number", 42],
];

describe("readRouting, the stores' row parser for routing", () => {
  it("reads null as no routing", () => {
    expect(readRouting(null)).toBeNull();
    expect(readRouting(undefined)).toBeNull();
  });

  it("reads what the server writes unchanged", () => {
    expect(readRouting(written)).toEqual(written);
    expect(RoutingSchema.parse(readRouting(written))).toEqual(written);
  });

  it.each(oddRows)("reads %s into a routing that satisfies RoutingSchema", (_name, raw) => {
    const routing = readRouting(raw);
    expect(RoutingSchema.safeParse(routing).success).toBe(true);
    expect(RoutingSchema.parse(routing)).toEqual(routing);
  });

  it("lets nobody but an admin override decide when approvers cannot be read, never everybody", () => {
    for (const approvers of [{ all: true }, 0, true, 1]) {
      expect(readRouting({ approvers })?.approvers).toEqual([]);
    }
    for (const raw of ["require", [1, 2], 42]) {
      expect(readRouting(raw)?.approvers).toEqual([]);
    }
    expect(readRouting({ approvers: ["alice@example.com", 7] })?.approvers).toEqual(["alice@example.com"]);
    expect(readRouting({ approvers: "alice@example.com" })?.approvers).toEqual(["alice@example.com"]);
    // Absent means the policy named nobody in particular: any approver, as the wire schema says.
    expect(readRouting({ rule: "default" })?.approvers).toBeNull();
  });

  it("counts no approval it cannot read, so a quorum never needs fewer people", () => {
    const routing = readRouting({
      approvals_required: 2,
      approvals: [
        { id: "alice@example.com", channel: "web" },
        { id: "bob@example.com", channel: "web", at: "noon" },
      ],
    });
    expect(routing?.approvals_required).toBe(2);
    expect(routing?.approvals).toEqual([]);
  });

  it("drops an escalation it cannot run, and keeps only recipients it can read", () => {
    expect(readRouting({ escalation: { after_seconds: 0, to: ["group:ops"] } })?.escalation).toBeNull();
    expect(
      readRouting({
        escalation: {
          after_seconds: 60,
          to: "group:ops",
          recipients: [{ channel: "fax" }, { channel: "web", target: "ops@example.com" }],
        },
      })?.escalation,
    ).toEqual({
      after_seconds: 60,
      to: ["group:ops"],
      recipients: [{ channel: "web", target: "ops@example.com" }],
    });
  });
});
