import type { Recipient } from "../protocol/pause-request.ts";
import type { PolicyDecision, PolicyHook } from "../server/policy-hook.ts";
import type { CompiledPolicy } from "./compile-policy.ts";
import { evaluatePolicy, type PolicyEvaluation } from "./evaluate-policy.ts";
import { DEFAULT_GRANT_MAX_SECONDS } from "./policy-schema.ts";

/**
 * The server's policy hook over a compiled policy. Pass a function to swap
 * policies while running (hot reload): each request reads the current one
 * once, so a request is never evaluated against half of two policies.
 */
export function policyHook(source: CompiledPolicy | (() => CompiledPolicy)): PolicyHook {
  const current = typeof source === "function" ? source : () => source;
  return {
    evaluate(request) {
      return policyDecision(evaluatePolicy(current(), request));
    },
    allowedRecipients() {
      return recipientsNamedIn(current());
    },
    grantLimits() {
      const grants = current().document.grants;
      return {
        enabled: grants?.enabled ?? true,
        maxDurationSeconds: grants?.max_duration ?? DEFAULT_GRANT_MAX_SECONDS,
      };
    },
  };
}

function recipientsNamedIn(policy: CompiledPolicy): Recipient[] {
  const { rules, default: fallback } = policy.document;
  return [...rules, fallback].flatMap((rule) => [
    ...(rule.recipients ?? []),
    ...(rule.escalate?.recipients ?? []),
  ]);
}

/** The routing a policy evaluation records on a pause (the wire `routing` field, snake_case). */
export function policyDecision(evaluation: PolicyEvaluation): PolicyDecision {
  return {
    outcome: evaluation.outcome,
    rule: evaluation.rule,
    version: evaluation.policyVersion,
    recipients: evaluation.recipients,
    ...(evaluation.sample !== null && { sample: evaluation.sample }),
    ...(evaluation.expiresInSeconds !== null && { expiresInSeconds: evaluation.expiresInSeconds }),
    ...(evaluation.reason !== null && { reason: evaluation.reason }),
    routing: {
      risk: evaluation.risk.effective,
      declared_risk: evaluation.risk.declared,
      derived_risk: evaluation.risk.derived,
      ...(evaluation.declaredRiskIgnored && { declared_risk_ignored: true }),
      approvers: evaluation.approvers,
      approvals_required: evaluation.approvalsRequired,
      approvals: [],
      escalation: evaluation.escalation && {
        after_seconds: evaluation.escalation.afterSeconds,
        to: evaluation.escalation.to,
        recipients: evaluation.escalation.recipients,
      },
      escalated_at: null,
    },
  };
}
