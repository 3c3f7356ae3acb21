import type { Risk } from "../protocol/action.ts";
import type { ParsedPauseRequest, Recipient } from "../protocol/pause-request.ts";
import type { CompiledPolicy } from "./compile-policy.ts";
import { type Condition, evaluateCondition } from "./condition.ts";
import { matchesGlob } from "./glob.ts";
import type { PolicyDefault, PolicyRule } from "./policy-schema.ts";
import { type RiskView, riskView } from "./risk-assessment.ts";

/** One check of a rule against the request, for explaining why a rule fired or not. */
export interface PolicyCheck {
  /** What was checked: `agent_id`, `action.type`, `risk` (the effective risk), or a condition as written. */
  check: string;
  expected: string;
  /** For a data condition: the field it reads from `action.data`. */
  field?: string;
  /** The request's value; `undefined` when it has none. */
  actual: unknown;
  passed: boolean;
}

export interface RuleTrace {
  rule: string;
  matched: boolean;
  checks: PolicyCheck[];
}

export interface PolicyEscalation {
  afterSeconds: number;
  to: string[];
  recipients: Recipient[];
}

/** What the policy decides for one request. */
export interface PolicyEvaluation {
  /** The rule that fired; `default` when none did. */
  rule: string;
  policyVersion: string;
  outcome: "auto_approve" | "deny" | "require" | "sample";
  /** `outcome: sample`: the share people see and the seed of the draw (the server draws per pause). */
  sample: { rate: number; seed: string } | null;
  reason: string | null;
  /** Identities and `group:<name>` who may approve; `null`: any approver. */
  approvers: string[] | null;
  approvalsRequired: number;
  /** Who is told, after applying the rule's `recipients` and `recipients_mode`. */
  recipients: Recipient[];
  escalation: PolicyEscalation | null;
  /** Overrides the request's `expires_in`; `null` keeps it. */
  expiresInSeconds: number | null;
  /** Every rule tried, in order, up to the one that fired. */
  trace: RuleTrace[];
  /** The agent's declared risk, the policy's own, and the one rules matched on. */
  risk: RiskView;
  /**
   * True when the agent's declared risk would have selected a more permissive
   * rule than the policy's own view, so the policy's own view decided.
   */
  declaredRiskIgnored: boolean;
}

/**
 * First match wins; pure and synchronous, so the server can call it on every
 * request. `action.risk` is the agent's claim: rules match on the higher of
 * it and the policy's own rating (its `risk` section), and when that would
 * select a more permissive outcome than the policy's own rating alone, the
 * policy's own rating decides. A declared risk can raise the bar, never lower it.
 */
export function evaluatePolicy(policy: CompiledPolicy, request: ParsedPauseRequest): PolicyEvaluation {
  const risk = riskView(policy.document.risk, request);
  const byPolicy = evaluateAtRisk(policy, request, risk.derived);
  if (risk.effective === risk.derived) return { ...byPolicy, risk, declaredRiskIgnored: false };
  const withDeclared = evaluateAtRisk(policy, request, risk.effective);
  return strictness(withDeclared) >= strictness(byPolicy)
    ? { ...withDeclared, risk, declaredRiskIgnored: false }
    : { ...byPolicy, risk, declaredRiskIgnored: true };
}

/** deny > require (more approvals is stricter) > sample (a higher rate is stricter) > auto_approve. */
function strictness(evaluation: Pick<PolicyEvaluation, "outcome" | "approvalsRequired" | "sample">): number {
  if (evaluation.outcome === "deny") return Number.MAX_SAFE_INTEGER;
  if (evaluation.outcome === "require") return evaluation.approvalsRequired;
  if (evaluation.outcome === "sample") return evaluation.sample?.rate ?? 0;
  return 0;
}

type RiskFreeEvaluation = Omit<PolicyEvaluation, "risk" | "declaredRiskIgnored">;

function evaluateAtRisk(
  policy: CompiledPolicy,
  request: ParsedPauseRequest,
  risk: Risk | null,
): RiskFreeEvaluation {
  const trace: RuleTrace[] = [];
  for (const rule of policy.document.rules) {
    const checks = checkRule(rule, request, risk);
    const matched = checks.every((check) => check.passed);
    trace.push({ rule: rule.name, matched, checks });
    if (matched) return decide(rule.name, rule, policy, request, trace);
  }
  trace.push({ rule: "default", matched: true, checks: [] });
  return decide("default", policy.document.default, policy, request, trace);
}

function checkRule(rule: PolicyRule, request: ParsedPauseRequest, risk: Risk | null): PolicyCheck[] {
  const checks: PolicyCheck[] = [];
  if (rule.agent_id) checks.push(globCheck("agent_id", rule.agent_id, request.agent_id));
  if (rule.action_type) checks.push(globCheck("action.type", rule.action_type, request.action.type));
  if (rule.risk) {
    checks.push({
      check: "risk",
      expected: rule.risk.join(" | "),
      actual: risk ?? undefined,
      passed: risk !== null && rule.risk.includes(risk),
    });
  }
  for (const condition of rule.when ?? []) checks.push(conditionCheck(condition, request));
  return checks;
}

function globCheck(check: string, patterns: string[], actual: string): PolicyCheck {
  return {
    check,
    expected: patterns.join(" | "),
    actual,
    passed: patterns.some((pattern) => matchesGlob(pattern, actual)),
  };
}

function conditionCheck(condition: Condition, request: ParsedPauseRequest): PolicyCheck {
  const result = evaluateCondition(condition, request.action.data);
  return {
    check: condition.source,
    expected: condition.source,
    field: condition.field.join("."),
    actual: result.actual,
    passed: result.holds,
  };
}

function decide(
  name: string,
  rule: PolicyRule | PolicyDefault,
  policy: CompiledPolicy,
  request: ParsedPauseRequest,
  trace: RuleTrace[],
): RiskFreeEvaluation {
  const requested = request.recipients ?? [];
  const ruleRecipients = rule.recipients ?? [];
  const toPeople = rule.outcome === "require" || rule.outcome === "sample";
  const recipients = !toPeople
    ? requested
    : rule.recipients_mode === "replace"
      ? ruleRecipients
      : uniqueRecipients([...requested, ...ruleRecipients]);
  return {
    rule: name,
    policyVersion: policy.version,
    outcome: rule.outcome,
    sample:
      rule.outcome === "sample" && rule.sample
        ? { rate: rule.sample.rate, seed: policy.document.sampling?.seed ?? policy.version }
        : null,
    reason: rule.reason ?? null,
    approvers: rule.approvers ?? null,
    approvalsRequired: rule.approvals_required ?? 1,
    recipients,
    escalation: rule.escalate
      ? { afterSeconds: rule.escalate.after, to: rule.escalate.to, recipients: rule.escalate.recipients }
      : null,
    expiresInSeconds: rule.expires_in ?? null,
    trace,
  };
}

function uniqueRecipients(recipients: Recipient[]): Recipient[] {
  const seen = new Set<string>();
  return recipients.filter((recipient) => {
    const key = `${recipient.channel}\u0000${recipient.target}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
