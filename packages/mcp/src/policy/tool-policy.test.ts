import { describe, expect, it } from "vitest";
import { parseGatewayConfig } from "../config/load-gateway-config.ts";
import { compileToolPolicy } from "./tool-policy.ts";

const policy = compileToolPolicy(
  parseGatewayConfig(
    [
      "default: deny",
      "expires_in: 15m",
      "rules:",
      "  - name: reads",
      "    tool: [read_*, list_*]",
      "    decision: allow",
      "  - name: etc",
      "    when: 'path matches \"/etc/*\"'",
      "    decision: deny",
      "    reason: System files are off limits",
      "  - name: big-payments",
      "    server: billing",
      "    tool: pay",
      '    when: ["amount > 1000", "currency in [USD, EUR]"]',
      "    decision: require",
      "    risk: critical",
      "    expires_in: 1h",
      "  - name: payments",
      "    tool: pay",
      "    decision: allow",
    ].join("\n"),
  ),
);

describe("tool policy", () => {
  it("takes the first rule that matches tool, server and every condition", () => {
    expect(
      policy({ tool: "read_text_file", server: "fs", arguments: { path: "/etc/passwd" } }),
    ).toMatchObject({
      decision: "allow",
      rule: "reads",
    });
    expect(policy({ tool: "write_file", server: "fs", arguments: { path: "/etc/hosts" } })).toEqual({
      decision: "deny",
      rule: "etc",
      reason: "System files are off limits",
      expiresIn: 900,
    });
    expect(policy({ tool: "pay", server: "billing", arguments: { amount: 5000, currency: "USD" } })).toEqual({
      decision: "require",
      rule: "big-payments",
      risk: "critical",
      expiresIn: 3600,
    });
    expect(
      policy({ tool: "pay", server: "billing", arguments: { amount: 5000, currency: "JPY" } }).rule,
    ).toBe("payments");
    expect(policy({ tool: "pay", server: "other", arguments: { amount: 5000, currency: "USD" } }).rule).toBe(
      "payments",
    );
  });

  it("never fires a condition on an argument it cannot read, and falls back to the default", () => {
    expect(
      policy({ tool: "pay", server: "billing", arguments: { amount: "5000", currency: "USD" } }).rule,
    ).toBe("payments");
    expect(policy({ tool: "delete_repo", server: "git", arguments: {} })).toEqual({
      decision: "deny",
      rule: "default",
      expiresIn: 900,
    });
  });
});
