import { z } from "zod";
import { ActionDataSchema } from "./action.ts";
import { DeciderSchema } from "./proof.ts";

const RateSchema = z.number().min(0).max(1);

/** How one agent's requests of one action type went over the window. */
export const InsightGroupSchema = z
  .strictObject({
    agent_id: z.string(),
    action_type: z.string(),
    volume: z.int().describe("Pauses opened in the window."),
    pending: z.int(),
    approved: z.int(),
    rejected: z.int(),
    expired: z.int(),
    cancelled: z.int(),
    auto_approved: z.int().describe("Approved by policy (auto_approve, or not sampled)."),
    auto_rejected: z.int().describe("Rejected by a policy deny rule."),
    granted: z.int().describe("Approved by a standing grant."),
    human_approved: z.int(),
    human_rejected: z.int(),
    overrides: z.int().describe("Admin break-glass decisions."),
    rates: z
      .strictObject({
        approved: RateSchema,
        rejected: RateSchema,
        expired: RateSchema,
        auto_approved: RateSchema,
        granted: RateSchema,
      })
      .describe("Shares of the settled pauses (pending ones left out)."),
    time_to_decision_seconds: z
      .strictObject({ p50: z.number().nullable(), p90: z.number().nullable(), count: z.int() })
      .describe("From opening to a person's decision."),
    top_denial_reasons: z
      .array(z.strictObject({ reason: z.string(), count: z.int() }))
      .describe("People's rejection reasons, grouped without case and spacing, most frequent first."),
    grants_used: z.array(z.strictObject({ grant_id: z.string(), granted_by: z.string(), count: z.int() })),
  })
  .meta({ id: "InsightGroup" });
export type InsightGroup = z.infer<typeof InsightGroupSchema>;

/** A change an admin might make, with its evidence; never applied by the server. */
export const InsightSuggestionSchema = z
  .strictObject({
    kind: z.enum(["loosen", "speed_up"]),
    agent_id: z.string(),
    action_type: z.string(),
    summary: z.string(),
    evidence: z.record(z.string(), z.unknown()),
    policy_rule: z
      .record(z.string(), z.unknown())
      .describe("The suggested rule as JSON (what the snippet says)."),
    policy_snippet: z.string().describe("YAML for the policy's `rules`, to copy and review."),
  })
  .meta({ id: "InsightSuggestion" });
export type InsightSuggestion = z.infer<typeof InsightSuggestionSchema>;

export const InsightsSchema = z
  .strictObject({
    object: z.literal("insights"),
    window: z.string(),
    since: z.iso.datetime(),
    until: z.iso.datetime(),
    groups: z.array(InsightGroupSchema).describe("Busiest first."),
    suggestions: z.array(InsightSuggestionSchema),
  })
  .meta({ id: "Insights" });
export type Insights = z.infer<typeof InsightsSchema>;

/** One rejection, for prompt and evaluation work. */
export const DenialSchema = z
  .strictObject({
    pause_id: z.string(),
    agent_id: z.string(),
    action_type: z.string(),
    title: z.string().nullable(),
    data: ActionDataSchema.nullable().describe("The arguments, with the fields named in `mask` replaced."),
    reason: z.string().nullable(),
    decided_by: DeciderSchema,
    created_at: z.iso.datetime(),
    decided_at: z.iso.datetime(),
  })
  .meta({ id: "Denial" });
export type Denial = z.infer<typeof DenialSchema>;

export const DenialListSchema = z
  .strictObject({
    object: z.literal("list"),
    data: z.array(DenialSchema),
    has_more: z.boolean(),
    next_cursor: z.string().nullable(),
  })
  .meta({ id: "DenialList" });
