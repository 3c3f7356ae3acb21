import { z } from "zod";
import { ActionDataSchema, ActionSchema } from "./action.ts";
import { JsonObjectSchema, RecipientSchema } from "./pause-request.ts";
import { DeciderSchema, ProofSchema } from "./proof.ts";
import { ExecutionSchema } from "./receipt.ts";

export const PauseStatusSchema = z
  .enum(["pending", "approved", "rejected", "expired", "cancelled"])
  .meta({ id: "PauseStatus" });
export type PauseStatus = z.infer<typeof PauseStatusSchema>;

export const TERMINAL_STATUSES: readonly PauseStatus[] = ["approved", "rejected", "expired", "cancelled"];

export const DecisionSchema = z
  .strictObject({
    status: PauseStatusSchema.exclude(["pending"]),
    decided_by: DeciderSchema,
    reason: z.string().nullable(),
    data: ActionDataSchema.nullable().describe("Approved arguments when an approver edited them."),
    decided_at: z.iso.datetime(),
  })
  .meta({ id: "Decision" });
export type Decision = z.infer<typeof DecisionSchema>;

// Loose, like routing itself: a field added to an approval later must not break an older client.
export const ApprovalSchema = z
  .looseObject({
    id: z.string(),
    channel: z.string(),
    at: z.iso.datetime(),
    on_behalf_of: z
      .string()
      .optional()
      .describe("When a delegate approved: the approver they stood in for (their seat counts once)."),
  })
  .meta({ id: "Approval" });
export type Approval = z.infer<typeof ApprovalSchema>;

/**
 * How policy routed a pause: the rule that fired and its policy version,
 * who may decide, the quorum and its progress, escalation. Loose so a field
 * added later does not break an older client.
 */
export const RoutingSchema = z
  .looseObject({
    rule: z.string().describe("The policy rule that fired; `default` when none did."),
    policy_version: z.string(),
    outcome: z.enum(["auto_approve", "deny", "require"]),
    approvers: z
      .array(z.string())
      .nullable()
      .describe("Identities and `group:<name>` who may decide; null: any approver."),
    approvals_required: z.int().min(1).describe("Distinct approvals needed; any single reject rejects."),
    approvals: z.array(ApprovalSchema).describe("Approvals counted so far, oldest first."),
    escalation: z
      .strictObject({
        after_seconds: z.int().min(1),
        to: z.array(z.string()),
        recipients: z.array(RecipientSchema),
      })
      .nullable(),
    escalated_at: z.iso.datetime().nullable(),
  })
  .meta({ id: "Routing" });
export type Routing = z.infer<typeof RoutingSchema>;

export const PauseSchema = z
  .strictObject({
    object: z.literal("pause"),
    pause_id: z.string(),
    status: PauseStatusSchema,
    agent_id: z.string(),
    action: ActionSchema,
    recipients: z.array(RecipientSchema),
    webhook_url: z.string().nullable(),
    context: JsonObjectSchema,
    metadata: JsonObjectSchema,
    created_at: z.iso.datetime(),
    expires_at: z.iso.datetime(),
    decision: DecisionSchema.nullable(),
    proof: ProofSchema.nullable(),
    claimed_at: z.iso.datetime().nullable(),
    execution: ExecutionSchema.nullable()
      .optional()
      .describe("The signed execution receipt, once the claimer reported how the action ended."),
    routing: RoutingSchema.nullable()
      .optional()
      .describe("Set when a policy routed the pause; null without a policy."),
    links: z.strictObject({ self: z.string(), events: z.string(), decision: z.string(), inbox: z.string() }),
    warnings: z
      .array(
        z.strictObject({
          code: z.literal("recipient_dropped"),
          path: z.string().describe("Where in the request, e.g. `recipients.0`."),
          message: z.string(),
        }),
      )
      .optional()
      .describe(
        "Only on the reply that opened the pause: agent-supplied recipients that were not notified (not known approvers, or targets no admin allowed).",
      ),
  })
  .meta({ id: "Pause" });
export type Pause = z.infer<typeof PauseSchema>;

export const PauseListSchema = z
  .strictObject({
    object: z.literal("list"),
    data: z.array(PauseSchema),
    has_more: z.boolean(),
    next_cursor: z.string().nullable(),
  })
  .meta({ id: "PauseList" });
export type PauseList = z.infer<typeof PauseListSchema>;

export const ClaimSchema = z
  .strictObject({
    object: z.literal("claim"),
    pause_id: z.string(),
    proof_id: z.string(),
    claimed_at: z.iso.datetime(),
  })
  .meta({ id: "Claim" });
export type Claim = z.infer<typeof ClaimSchema>;
