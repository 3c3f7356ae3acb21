import { evaluateCondition, parseCondition } from "../../policy/condition.ts";
import { matchesGlob } from "../../policy/glob.ts";
import type { GrantRecord, PauseRecord } from "../../store/records.ts";
import { sameIdentity } from "../routing.ts";

export type GrantCoverage = { covers: true; amount: number } | { covers: false; why: string };

/**
 * Whether a grant's terms cover this pause, read from the grant and the pause
 * alone (who may decide is `decisionRights`, checked by the caller): active
 * at `now`, not the grantor's own request, the agent and action type match,
 * every condition holds, and what is left of the count and total suffices.
 * `amount` is what the pause adds to the grant's total (0 without one). The
 * store checks the bounds again atomically when the grant is used.
 */
export function grantCoverage(grant: GrantRecord, pause: PauseRecord, now: Date): GrantCoverage {
  if (grant.revokedAt !== null) return { covers: false, why: "revoked" };
  if (Date.parse(grant.expiresAt) <= now.getTime()) return { covers: false, why: "expired" };
  if (pause.requestedBy !== null && sameIdentity(pause.requestedBy, grant.grantedBy)) {
    return { covers: false, why: "the grantor requested this pause" };
  }
  if (!grant.agentIds.some((pattern) => matchesGlob(pattern, pause.agentId))) {
    return { covers: false, why: "agent not covered" };
  }
  if (!matchesGlob(grant.actionType, pause.action.type))
    return { covers: false, why: "action type not covered" };
  for (const source of grant.conditions) {
    const parsed = parseCondition(source);
    // A condition that no longer parses covers nothing (fail closed).
    if (!parsed.ok || !evaluateCondition(parsed.condition, pause.action.data).holds) {
      return { covers: false, why: `condition ${source} does not hold` };
    }
  }
  if (grant.maxCount !== null && grant.usedCount >= grant.maxCount)
    return { covers: false, why: "exhausted" };
  let amount = 0;
  if (grant.maxTotal !== null) {
    const value = evaluateCondition(
      { source: grant.maxTotal.field, field: grant.maxTotal.field.split("."), operator: "exists" },
      pause.action.data,
    ).actual;
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
      return { covers: false, why: `${grant.maxTotal.field} is not a non-negative number` };
    }
    if (grant.usedTotal + value > grant.maxTotal.max) return { covers: false, why: "total exhausted" };
    amount = value;
  }
  return { covers: true, amount };
}
