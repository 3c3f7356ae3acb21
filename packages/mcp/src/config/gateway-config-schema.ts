import { parseCondition, parseDuration } from "@countersign/core/server";
import { z } from "zod";
import { parseJsonPath } from "../masking/json-path.ts";
import { BUILT_IN_PATTERNS } from "../masking/patterns.ts";

/** One item or a list; a single item reads as a list of one (errors then name `field.0`). */
const oneOrMany = <Item extends z.ZodType>(item: Item) =>
  z.preprocess(
    (value) => (value === undefined || Array.isArray(value) ? value : [value]),
    z.array(item).min(1),
  );

const GlobSchema = z.string().trim().min(1, "must not be empty");

const NameSchema = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[\w.:-]+$/, "letters, digits, '.', ':', '_' or '-' only");

const ConditionSchema = z.string().transform((source, context) => {
  const parsed = parseCondition(source);
  if (parsed.ok) return parsed.condition;
  context.issues.push({ code: "custom", message: parsed.message, input: source });
  return z.NEVER;
});

/** Seconds, or `"90s"`, `"15m"`, `"4h"`, `"2d"`, bounded by `max`. */
const durationSchema = (max: number, maxText: string) =>
  z.union([z.number(), z.string()]).transform((value, context) => {
    const seconds = parseDuration(value);
    if (seconds === null) {
      context.issues.push({
        code: "custom",
        message: `not a duration: ${JSON.stringify(value)} (use seconds, or e.g. "50s", "15m", "4h")`,
        input: value,
      });
      return z.NEVER;
    }
    if (seconds > max) {
      context.issues.push({ code: "custom", message: `must be at most ${maxText}`, input: value });
      return z.NEVER;
    }
    return seconds;
  });

export const DecisionSchema = z.enum(["allow", "deny", "require"], 'must be "allow", "deny" or "require"');
export type GatewayDecision = z.infer<typeof DecisionSchema>;

const RuleSchema = z
  .strictObject({
    name: NameSchema.optional(),
    description: z.string().max(2_000).optional(),
    tool: oneOrMany(GlobSchema).optional().describe("Globs over the tool name the client sees."),
    server: oneOrMany(GlobSchema).optional().describe("Globs over the upstream's mount name."),
    when: oneOrMany(ConditionSchema)
      .optional()
      .describe("Conditions on the call's arguments; all must hold."),
    decision: DecisionSchema,
    reason: z.string().trim().min(1).max(2_000).optional(),
    risk: z.enum(["low", "medium", "high", "critical"]).optional(),
    expires_in: durationSchema(30 * 86_400, "30 days").optional(),
  })
  .superRefine((rule, context) => {
    if (rule.decision !== "require") {
      for (const field of ["risk", "expires_in"] as const) {
        if (rule[field] !== undefined)
          context.addIssue({ code: "custom", path: [field], message: 'only applies to decision "require"' });
      }
    }
  });

const RegexSchema = z
  .strictObject({ name: NameSchema, pattern: z.string().min(1).max(1_000), flags: z.string().optional() })
  .superRefine((entry, context) => {
    try {
      new RegExp(entry.pattern, entry.flags);
    } catch (error) {
      context.addIssue({
        code: "custom",
        path: ["pattern"],
        message: `not a regular expression: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
    if (entry.flags !== undefined && !/^[imsu]*$/.test(entry.flags)) {
      context.addIssue({ code: "custom", path: ["flags"], message: "only i, m, s and u are allowed" });
    }
  });

const JsonPathSchema = z.string().superRefine((path, context) => {
  const parsed = parseJsonPath(path);
  if (!parsed.ok) context.addIssue({ code: "custom", message: parsed.message });
});

const MaskingRuleSchema = z
  .strictObject({
    name: NameSchema.optional(),
    tool: oneOrMany(GlobSchema).optional(),
    server: oneOrMany(GlobSchema).optional(),
    patterns: z
      .array(z.enum(Object.keys(BUILT_IN_PATTERNS) as [string, ...string[]]))
      .optional()
      .describe("Built-in patterns: card_number, api_key, email."),
    regex: z.array(RegexSchema).optional(),
    paths: z
      .array(JsonPathSchema)
      .optional()
      .describe("JSON paths into structured results, e.g. $..password."),
  })
  .refine(
    (rule) => (rule.patterns?.length ?? 0) + (rule.regex?.length ?? 0) + (rule.paths?.length ?? 0) > 0,
    {
      message: "name at least one of patterns, regex or paths",
    },
  );

const EnvSchema = z.record(z.string(), z.string());

const CommandUpstreamSchema = z.strictObject({
  command: z.string().trim().min(1),
  args: z.array(z.string()).default([]),
  env: EnvSchema.optional(),
  cwd: z.string().optional(),
  prefix: z
    .string()
    .regex(/^[A-Za-z0-9-]*$/, "letters, digits and '-' only")
    .optional(),
});

const UrlUpstreamSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/ }),
  headers: z.record(z.string(), z.string()).optional(),
  prefix: z
    .string()
    .regex(/^[A-Za-z0-9-]*$/, "letters, digits and '-' only")
    .optional(),
});

export const UpstreamSchema = z.union([CommandUpstreamSchema, UrlUpstreamSchema], {
  error: "an upstream needs either `command` (stdio) or `url` (Streamable HTTP)",
});

/**
 * The gateway's config file (YAML or JSON). Everything is optional so a file
 * with only `rules` works; an unmatched tool follows `default`, which is
 * `require` (a human decides) unless the file says otherwise.
 */
export const GatewayConfigSchema = z.strictObject({
  version: z.literal(1, "the gateway config format version is 1").default(1),
  agent_id: z.string().trim().min(1).max(200).default("mcp-gateway"),
  default: DecisionSchema.default("require"),
  wait: durationSchema(600, "10 minutes").default(50),
  expires_in: durationSchema(30 * 86_400, "30 days").optional(),
  replay_window: durationSchema(86_400, "1 day")
    .default(600)
    .describe("How long an identical call gets a settled call's answer instead of a new approval."),
  countersign: z
    .strictObject({
      url: z.url({ protocol: /^https?$/ }).optional(),
      jwks: z.string().min(1).optional().describe("A JWKS file, or the JWKS JSON itself."),
      trust_server_keys: z.boolean().optional(),
    })
    .default({}),
  upstreams: z
    .record(z.string().regex(/^[A-Za-z0-9-]+$/, "letters, digits and '-' only"), UpstreamSchema)
    .optional(),
  rules: z.array(RuleSchema).max(1_000).default([]),
  masking: z.array(MaskingRuleSchema).max(100).default([]),
  recording: z
    .strictObject({ file: z.string().min(1).optional(), ungated: z.boolean().default(false) })
    .default({ ungated: false }),
  elicitation: z.boolean().default(false).describe("Offer the approval link through URL elicitation."),
});

export type GatewayConfigInput = z.input<typeof GatewayConfigSchema>;
export type GatewayConfig = z.output<typeof GatewayConfigSchema>;
export type GatewayRule = GatewayConfig["rules"][number];
export type MaskingRuleConfig = GatewayConfig["masking"][number];
export type UpstreamConfig = z.output<typeof UpstreamSchema>;
