import type { Risk } from "../protocol/action.ts";
import type { ParsedPauseRequest } from "../protocol/pause-request.ts";
import { evaluateCondition } from "./condition.ts";
import { matchesGlob } from "./glob.ts";
import type { RiskAssessment } from "./policy-schema.ts";

const RISK_ORDER: readonly Risk[] = ["low", "medium", "high", "critical"];

/** How the request's risk was settled: the agent's claim, the policy's own view, and what rules matched on. */
export interface RiskView {
  /** What the agent declared in `action.risk`; a claim, never trusted to lower the bar. */
  declared: Risk | null;
  /** What the policy's `risk` section derives from the action; `null` when it has no view. */
  derived: Risk | null;
  /** The higher of the two: what `risk` matchers in rules see. */
  effective: Risk | null;
}

/** The policy's own rating: the highest `derive` entry that matches, else its `default`. */
export function deriveRisk(assessment: RiskAssessment | undefined, request: ParsedPauseRequest): Risk | null {
  if (!assessment) return null;
  let derived: Risk | null = null;
  for (const entry of assessment.derive) {
    const matches =
      (!entry.agent_id || entry.agent_id.some((pattern) => matchesGlob(pattern, request.agent_id))) &&
      (!entry.action_type ||
        entry.action_type.some((pattern) => matchesGlob(pattern, request.action.type))) &&
      (entry.when ?? []).every((condition) => evaluateCondition(condition, request.action.data).holds);
    if (matches) derived = higherRisk(derived, entry.risk);
  }
  return derived ?? assessment.default ?? null;
}

export function riskView(assessment: RiskAssessment | undefined, request: ParsedPauseRequest): RiskView {
  const declared = request.action.risk ?? null;
  const derived = deriveRisk(assessment, request);
  return { declared, derived, effective: higherRisk(declared, derived) };
}

export function higherRisk(left: Risk | null, right: Risk | null): Risk | null {
  if (left === null) return right;
  if (right === null) return left;
  return RISK_ORDER.indexOf(left) >= RISK_ORDER.indexOf(right) ? left : right;
}
