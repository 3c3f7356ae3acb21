import { describe, expect, it } from "vitest";
import type { ParsedPauseRequest } from "../protocol/pause-request.ts";
import { type CompiledPolicy, compilePolicy } from "./compile-policy.ts";
import { evaluatePolicy } from "./evaluate-policy.ts";

function compile(input: unknown): CompiledPolicy {
  const result = compilePolicy(input);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.policy;
}

const seedPolicy = compile({
  rules: [
    { name: "deny-table-drops", action_type: "db.drop_*", outcome: "deny", reason: "Never drop tables" },
    { name: "small-refunds", action_type: "refund", when: ["amount <= 50"], outcome: "auto_approve" },
    {
      name: "large-refunds",
      action_type: "refund",
      when: "amount > 500",
      outcome: "require",
      approvers: ["group:finance"],
      recipients: [{ channel: "slack", target: "#finance-approvals" }],
      escalate: {
        after: "15m",
        to: ["group:finance-oncall"],
        recipients: [{ channel: "slack", target: "#oncall" }],
      },
      expires_in: "4h",
    },
    {
      name: "prod-deploys",
      agent_id: ["deploy-*", "ci-bot"],
      action_type: "deploy",
      risk: ["high", "critical"],
      when: ['env == "prod"'],
      outcome: "require",
      approvers: ["group:engineering"],
      approvals_required: 2,
      recipients: [{ channel: "email", target: "eng@acme.com" }],
      recipients_mode: "replace",
    },
  ],
  default: { outcome: "require" },
});

function request(
  agentId: string,
  action: ParsedPauseRequest["action"],
  extra: Partial<ParsedPauseRequest> = {},
) {
  return { agent_id: agentId, action, ...extra } as ParsedPauseRequest;
}

describe("evaluatePolicy", () => {
  it("denies a table drop by glob, naming the rule and its reason", () => {
    const result = evaluatePolicy(seedPolicy, request("db-agent", { type: "db.drop_table" }));
    expect(result).toMatchObject({ rule: "deny-table-drops", outcome: "deny", reason: "Never drop tables" });
    expect(result.policyVersion).toMatch(/^[0-9a-f]{16}$/);
  });

  it("auto-approves a small refund and routes a large one to finance with escalation and expiry", () => {
    expect(
      evaluatePolicy(seedPolicy, request("support", { type: "refund", data: { amount: 20 } })),
    ).toMatchObject({ rule: "small-refunds", outcome: "auto_approve" });
    const large = evaluatePolicy(
      seedPolicy,
      request(
        "support",
        { type: "refund", data: { amount: 900 } },
        { recipients: [{ channel: "web", target: "inbox" }] },
      ),
    );
    expect(large).toMatchObject({
      rule: "large-refunds",
      outcome: "require",
      approvers: ["group:finance"],
      approvalsRequired: 1,
      expiresInSeconds: 4 * 3600,
      escalation: {
        afterSeconds: 900,
        to: ["group:finance-oncall"],
        recipients: [{ channel: "slack", target: "#oncall" }],
      },
    });
    // `add` (the default) keeps the agent's recipients and adds the rule's.
    expect(large.recipients).toEqual([
      { channel: "web", target: "inbox" },
      { channel: "slack", target: "#finance-approvals" },
    ]);
  });

  it("needs every matcher of a rule: agent glob, type, risk and data conditions", () => {
    const deploy = (agentId: string, risk: "high" | "low", env: string) =>
      evaluatePolicy(
        seedPolicy,
        request(
          agentId,
          { type: "deploy", risk, data: { env } },
          { recipients: [{ channel: "slack", target: "#x" }] },
        ),
      );
    const prod = deploy("deploy-bot", "high", "prod");
    expect(prod).toMatchObject({ rule: "prod-deploys", approvalsRequired: 2 });
    expect(prod.recipients).toEqual([{ channel: "email", target: "eng@acme.com" }]);
    expect(deploy("ci-bot", "high", "prod").rule).toBe("prod-deploys");
    expect(deploy("other-bot", "high", "prod").rule).toBe("default");
    expect(deploy("deploy-bot", "low", "prod").rule).toBe("default");
    expect(deploy("deploy-bot", "high", "staging").rule).toBe("default");
  });

  it("falls through to the default for a refund whose amount it cannot read, and explains every rule tried", () => {
    const result = evaluatePolicy(seedPolicy, request("support", { type: "refund", data: { amount: "20" } }));
    expect(result).toMatchObject({ rule: "default", outcome: "require", approvers: null });
    expect(result.trace.map((entry) => [entry.rule, entry.matched])).toEqual([
      ["deny-table-drops", false],
      ["small-refunds", false],
      ["large-refunds", false],
      ["prod-deploys", false],
      ["default", true],
    ]);
    expect(result.trace[1]!.checks).toEqual([
      { check: "action.type", expected: "refund", actual: "refund", passed: true },
      { check: "amount <= 50", expected: "amount <= 50", field: "amount", actual: "20", passed: false },
    ]);
  });

  it("takes the first matching rule, not the most specific", () => {
    const policy = compile({
      rules: [
        { name: "all-payments", action_type: "payment", outcome: "require" },
        { name: "big-payments", action_type: "payment", when: "amount > 10", outcome: "deny" },
      ],
    });
    expect(evaluatePolicy(policy, request("a", { type: "payment", data: { amount: 99 } })).rule).toBe(
      "all-payments",
    );
  });

  it("gives the same version to the same rules and another to changed rules", () => {
    const rules = { rules: [{ name: "r", action_type: "x", outcome: "deny" }] };
    expect(compile(rules).version).toBe(compile(JSON.parse(JSON.stringify(rules))).version);
    expect(compile({ rules: [{ name: "r", action_type: "y", outcome: "deny" }] }).version).not.toBe(
      compile(rules).version,
    );
  });
});

describe("compilePolicy", () => {
  function issues(input: unknown) {
    const result = compilePolicy(input);
    if (result.ok) throw new Error("expected the policy to be refused");
    return result.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
  }

  it("names the field of each mistake", () => {
    const found = issues({
      rules: [
        { name: "a", action_type: "refund", when: ["amount => 5"], outcome: "require" },
        { name: "a", outcome: "approve" },
        { name: "c", outcome: "deny", approvers: ["group:finance"] },
        { name: "d", outcome: "require", approvers: ["alice@acme.com"], approvals_required: 2 },
        { name: "e", outcome: "require", expires_in: "soon", colour: "red" },
        { name: "f", outcome: "require", escalate: { after: "15m", to: [] } },
      ],
    });
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^rules\.0\.when\.0: expected an operator/),
        expect.stringMatching(/^rules\.1\.outcome: must be "auto_approve", "deny", "require" or "sample"/),
        'rules.2.approvers: only applies to outcome "require"',
        "rules.3.approvals_required: 2 distinct approvals can never be reached with 1 named approver(s)",
        expect.stringMatching(/^rules\.4\.expires_in: not a duration: "soon"/),
        'rules.4.colour: unknown field "colour"',
        "rules.5.escalate.to: name the group or people to escalate to",
      ]),
    );
  });

  it("refuses a duplicated rule name and the reserved name default", () => {
    expect(
      issues({
        rules: [
          { name: "x", outcome: "deny" },
          { name: "x", outcome: "deny" },
          { name: "default", outcome: "deny" },
        ],
      }),
    ).toEqual([
      'rules.1.name: rule name "x" is already used by rules.0',
      'rules.2.name: "default" is reserved',
    ]);
  });

  it("accepts an empty policy: every pause needs a human, as the agent routed it", () => {
    const policy = compile({});
    expect(evaluatePolicy(policy, request("a", { type: "x" }))).toMatchObject({
      rule: "default",
      outcome: "require",
    });
  });
});

describe("agent-declared risk", () => {
  const riskPolicy = compile({
    risk: {
      default: "medium",
      derive: [
        { action_type: "payment", when: "amount > 10000", risk: "high" },
        { action_type: "payment", when: "amount > 100000", risk: "critical" },
      ],
    },
    rules: [
      { name: "low-risk-payments", action_type: "payment", risk: "low", outcome: "auto_approve" },
      {
        name: "critical-payments",
        action_type: "payment",
        risk: "critical",
        outcome: "require",
        approvals_required: 2,
      },
      { name: "odd-critical-shortcut", action_type: "transfer", risk: "critical", outcome: "auto_approve" },
    ],
    default: { outcome: "require" },
  });
  const payment = (amount: number, risk?: "low" | "medium" | "high" | "critical") =>
    evaluatePolicy(
      riskPolicy,
      request("billing", { type: "payment", data: { amount }, ...(risk && { risk }) }),
    );

  it("cannot lower the bar: a declared `low` never reaches an auto-approve rule the policy rates higher", () => {
    const result = payment(50_000, "low");
    expect(result).toMatchObject({ rule: "default", outcome: "require" });
    expect(result.risk).toEqual({ declared: "low", derived: "high", effective: "high" });
  });

  it("derives the highest matching risk, and the default when nothing matches", () => {
    expect(payment(500_000).risk.derived).toBe("critical");
    expect(payment(20).risk).toEqual({ declared: null, derived: "medium", effective: "medium" });
    expect(payment(20, "low").rule).toBe("default");
  });

  it("can raise the bar: a declared `critical` selects the stricter rule", () => {
    const result = payment(20, "critical");
    expect(result).toMatchObject({ rule: "critical-payments", approvalsRequired: 2 });
    expect(result.declaredRiskIgnored).toBe(false);
  });

  it("never lets a raised risk select a more permissive rule than the policy's own view", () => {
    const result = evaluatePolicy(riskPolicy, request("billing", { type: "transfer", risk: "critical" }));
    expect(result).toMatchObject({ rule: "default", outcome: "require", declaredRiskIgnored: true });
  });

  it("without a risk section, a declared risk still cannot pick a more permissive rule than no risk at all", () => {
    const plain = compile({
      rules: [{ name: "low-is-fine", risk: "low", outcome: "auto_approve" }],
      default: { outcome: "require" },
    });
    const result = evaluatePolicy(plain, request("a", { type: "payment", risk: "low" }));
    expect(result).toMatchObject({ rule: "default", outcome: "require", declaredRiskIgnored: true });
  });
});
