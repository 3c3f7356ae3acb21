import type { ParsedPauseRequest, Recipient } from "../protocol/pause-request.ts";
import type { CompiledPolicy } from "./compile-policy.ts";
import { type Condition, evaluateCondition } from "./condition.ts";
import { matchesGlob } from "./glob.ts";
import type { PolicyDefault, PolicyRule } from "./policy-schema.ts";

/** One check of a rule against the request, for explaining why a rule fired or not. */
export interface PolicyCheck {
  /** What was checked: `agent_id`, `action.type`, `action.risk`, or a condition as written. */
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
  outcome: "auto_approve" | "deny" | "require";
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
}

/** First match wins; pure and synchronous, so the server can call it on every request. */
export function evaluatePolicy(policy: CompiledPolicy, request: ParsedPauseRequest): PolicyEvaluation {
  const trace: RuleTrace[] = [];
  for (const rule of policy.document.rules) {
    const checks = checkRule(rule, request);
    const matched = checks.every((check) => check.passed);
    trace.push({ rule: rule.name, matched, checks });
    if (matched) return decide(rule.name, rule, policy, request, trace);
  }
  trace.push({ rule: "default", matched: true, checks: [] });
  return decide("default", policy.document.default, policy, request, trace);
}

function checkRule(rule: PolicyRule, request: ParsedPauseRequest): PolicyCheck[] {
  const checks: PolicyCheck[] = [];
  if (rule.agent_id) checks.push(globCheck("agent_id", rule.agent_id, request.agent_id));
  if (rule.action_type) checks.push(globCheck("action.type", rule.action_type, request.action.type));
  if (rule.risk) {
    const actual = request.action.risk;
    checks.push({
      check: "action.risk",
      expected: rule.risk.join(" | "),
      actual,
      passed: actual !== undefined && rule.risk.includes(actual),
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
): PolicyEvaluation {
  const requested = request.recipients ?? [];
  const ruleRecipients = rule.recipients ?? [];
  const recipients =
    rule.outcome !== "require"
      ? requested
      : rule.recipients_mode === "replace"
        ? ruleRecipients
        : uniqueRecipients([...requested, ...ruleRecipients]);
  return {
    rule: name,
    policyVersion: policy.version,
    outcome: rule.outcome,
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
