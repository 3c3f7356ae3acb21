export {
  type CompiledPolicy,
  type CompileResult,
  compilePolicy,
  formatPolicyIssues,
  type PolicyIssue,
  policyVersion,
} from "./compile-policy.ts";
export {
  type Condition,
  type ConditionOperator,
  type ConditionResult,
  evaluateCondition,
  type ParsedCondition,
  parseCondition,
} from "./condition.ts";
export { parseDuration } from "./duration.ts";
export {
  evaluatePolicy,
  type PolicyCheck,
  type PolicyEscalation,
  type PolicyEvaluation,
  type RuleTrace,
} from "./evaluate-policy.ts";
export { globToRegExp, matchesGlob } from "./glob.ts";
export { policyDecision, policyHook } from "./policy-hook.ts";
export {
  ApproverRefSchema,
  type PolicyDefault,
  PolicyDefaultSchema,
  type PolicyDocument,
  type PolicyInput,
  type PolicyRule,
  PolicyRuleSchema,
  PolicySchema,
  type RiskAssessment,
  RiskAssessmentSchema,
} from "./policy-schema.ts";
export { deriveRisk, higherRisk, type RiskView, riskView } from "./risk-assessment.ts";
