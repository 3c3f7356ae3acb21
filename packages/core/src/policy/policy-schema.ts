import { z } from "zod";
import { RiskSchema } from "../protocol/action.ts";
import { MAX_EXPIRES_IN_SECONDS, RecipientSchema } from "../protocol/pause-request.ts";
import { parseCondition } from "./condition.ts";
import { parseDuration } from "./duration.ts";

/** One item or a list; a single item reads as a list of one (errors then name `field.0`). */
const oneOrMany = <Item extends z.ZodType>(item: Item) =>
  z.preprocess(
    (value) => (value === undefined || Array.isArray(value) ? value : [value]),
    z.array(item).min(1),
  );

/** How long a standing grant may last when the policy does not say: 24 hours. */
export const DEFAULT_GRANT_MAX_SECONDS = 86_400;

const GlobSchema = z.string().trim().min(1, "must not be empty");

const ConditionSchema = z.string().transform((source, context) => {
  const parsed = parseCondition(source);
  if (parsed.ok) return parsed.condition;
  context.issues.push({ code: "custom", message: parsed.message, input: source });
  return z.NEVER;
});

const DurationSchema = z.union([z.number(), z.string()]).transform((value, context) => {
  const seconds = parseDuration(value);
  if (seconds === null) {
    context.issues.push({
      code: "custom",
      message: `not a duration: ${JSON.stringify(value)} (use seconds, or e.g. "90s", "15m", "4h", "2d")`,
      input: value,
    });
    return z.NEVER;
  }
  if (seconds > MAX_EXPIRES_IN_SECONDS) {
    context.issues.push({ code: "custom", message: "must be at most 30 days", input: value });
    return z.NEVER;
  }
  return seconds;
});

/** An approver in a rule: an identity (usually an e-mail address) or `group:<name>`. */
export const ApproverRefSchema = z
  .string()
  .trim()
  .regex(/^(group:[\w.-]+|[^\s:]+)$/, 'an identity (e.g. alice@acme.com) or "group:<name>"');

const EscalationSchema = z.strictObject({
  after: DurationSchema,
  to: z.array(ApproverRefSchema).min(1, "name the group or people to escalate to"),
  recipients: z.array(RecipientSchema).default([]),
});

/** `outcome: sample`: people see `rate` of the matching pauses (chosen by a seeded draw); the rest are approved. */
const SampleSchema = z.strictObject({
  rate: z.number().gt(0, "must be more than 0").lt(1, "must be less than 1 (use require for all)"),
});

const outcomeFields = {
  outcome: z.enum(
    ["auto_approve", "deny", "require", "sample"],
    'must be "auto_approve", "deny", "require" or "sample"',
  ),
  sample: SampleSchema.optional(),
  reason: z.string().trim().min(1).max(2_000).optional(),
  approvers: z.array(ApproverRefSchema).min(1).optional(),
  approvals_required: z.int().min(1).max(20).optional(),
  recipients: z.array(RecipientSchema).max(50).optional(),
  recipients_mode: z.enum(["add", "replace"]).optional(),
  escalate: EscalationSchema.optional(),
  expires_in: DurationSchema.optional(),
};

const REQUIRE_ONLY = [
  "approvers",
  "approvals_required",
  "recipients",
  "recipients_mode",
  "escalate",
  "expires_in",
] as const;

function checkOutcome(
  rule: {
    outcome: string;
    approvers?: string[] | undefined;
    approvals_required?: number | undefined;
  } & Record<string, unknown>,
  context: z.core.$RefinementCtx,
): void {
  if (rule.outcome === "sample" && rule.sample === undefined) {
    context.addIssue({
      code: "custom",
      path: ["sample"],
      message: 'outcome "sample" needs sample: {rate: 0.1}',
    });
  }
  if (rule.outcome !== "sample" && rule.sample !== undefined) {
    context.addIssue({ code: "custom", path: ["sample"], message: 'only applies to outcome "sample"' });
  }
  // The sampled pauses go to people, routed by the same settings as "require".
  if (rule.outcome !== "require" && rule.outcome !== "sample") {
    for (const field of REQUIRE_ONLY) {
      if (rule[field] !== undefined)
        context.addIssue({ code: "custom", path: [field], message: `only applies to outcome "require"` });
    }
    return;
  }
  const people = rule.approvers ?? [];
  const required = rule.approvals_required ?? 1;
  if (people.length > 0 && !people.some((ref) => ref.startsWith("group:")) && people.length < required) {
    context.addIssue({
      code: "custom",
      path: ["approvals_required"],
      message: `${required} distinct approvals can never be reached with ${people.length} named approver(s)`,
    });
  }
}

export const PolicyRuleSchema = z
  .strictObject({
    name: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .regex(/^[\w.:-]+$/, "letters, digits, '.', ':', '_' or '-' only"),
    description: z.string().max(2_000).optional(),
    agent_id: oneOrMany(GlobSchema).optional(),
    action_type: oneOrMany(GlobSchema).optional(),
    risk: oneOrMany(RiskSchema).optional(),
    when: oneOrMany(ConditionSchema).optional(),
    ...outcomeFields,
  })
  .superRefine(checkOutcome);
export type PolicyRule = z.output<typeof PolicyRuleSchema>;

export const PolicyDefaultSchema = z.strictObject(outcomeFields).superRefine(checkOutcome);
export type PolicyDefault = z.output<typeof PolicyDefaultSchema>;

/**
 * How the policy itself rates an action's risk. Every matching entry counts
 * and the highest wins; nothing matching gives `default` (absent: the policy
 * has no view of its own). Agent-declared risk may raise this, never lower it.
 */
export const RiskAssessmentSchema = z.strictObject({
  default: RiskSchema.optional(),
  derive: z
    .array(
      z.strictObject({
        agent_id: oneOrMany(GlobSchema).optional(),
        action_type: oneOrMany(GlobSchema).optional(),
        when: oneOrMany(ConditionSchema).optional(),
        risk: RiskSchema,
      }),
    )
    .max(1_000)
    .default([]),
});
export type RiskAssessment = z.output<typeof RiskAssessmentSchema>;

/** Standing grants under this policy: whether approvers may make them, and for how long at most. */
export const GrantPolicySchema = z.strictObject({
  enabled: z.boolean().default(true),
  max_duration: DurationSchema.default(DEFAULT_GRANT_MAX_SECONDS),
});
export type GrantPolicy = z.output<typeof GrantPolicySchema>;

/**
 * A policy file: ordered rules, first match wins, then `default` (when
 * absent: require a human, routed as the agent asked).
 */
export const PolicySchema = z
  .strictObject({
    version: z.literal(1, "the policy format version is 1").default(1),
    description: z.string().max(2_000).optional(),
    risk: RiskAssessmentSchema.optional(),
    rules: z.array(PolicyRuleSchema).max(1_000).default([]),
    default: PolicyDefaultSchema.default({ outcome: "require" }),
    grants: GrantPolicySchema.optional(),
    sampling: z
      .strictObject({
        seed: z
          .string()
          .min(1)
          .max(200)
          .describe("Seeds the sampling draws (default: the policy version); recorded with every draw."),
      })
      .optional(),
  })
  .superRefine((policy, context) => {
    const seen = new Map<string, number>();
    policy.rules.forEach((rule, index) => {
      const first = seen.get(rule.name);
      if (first === undefined) seen.set(rule.name, index);
      else
        context.addIssue({
          code: "custom",
          path: ["rules", index, "name"],
          message: `rule name "${rule.name}" is already used by rules.${first}`,
        });
      if (rule.name === "default")
        context.addIssue({
          code: "custom",
          path: ["rules", index, "name"],
          message: '"default" is reserved',
        });
    });
  });
export type PolicyInput = z.input<typeof PolicySchema>;
export type PolicyDocument = z.output<typeof PolicySchema>;
