import { z } from "zod";

/** The longest a delegation may last: long enough for a holiday, short enough to be noticed. */
export const MAX_DELEGATION_DAYS = 90;

const IdentitySchema = z.string().trim().min(1, "must not be empty").max(320);
const ActionTypeGlobSchema = z.string().trim().min(1, "must not be empty").max(200);

/** Body of `POST /v1/delegations`. */
export const DelegationRequestSchema = z
  .strictObject({
    from: IdentitySchema.optional().describe(
      "Whose approvals are handed over. Defaults to the caller; only an admin may name someone else.",
    ),
    to: IdentitySchema.describe(
      "The approver who decides in their place (an identity or e-mail address of a known, active approver).",
    ),
    starts_at: z.iso.datetime().optional().describe("When it begins; now when absent."),
    ends_at: z.iso
      .datetime()
      .describe(
        `When it ends, at most ${MAX_DELEGATION_DAYS} days after it begins; decisions after it are refused.`,
      ),
    action_types: z
      .array(ActionTypeGlobSchema)
      .min(1)
      .max(50)
      .optional()
      .describe("Only pauses of these action types (globs such as `refund*`); every type when absent."),
    reason: z.string().trim().min(1).max(2_000).optional().describe('Why, for the audit log ("on leave").'),
  })
  .meta({ id: "DelegationRequest" });
export type DelegationRequest = z.infer<typeof DelegationRequestSchema>;

export const DelegationStatusSchema = z
  .enum(["scheduled", "active", "ended", "revoked"])
  .meta({ id: "DelegationStatus" });
export type DelegationStatus = z.infer<typeof DelegationStatusSchema>;

/** A delegation as the API shows it. */
export const DelegationSchema = z
  .strictObject({
    object: z.literal("delegation"),
    delegation_id: z.string(),
    status: DelegationStatusSchema,
    from: z.string().describe("The approver whose approvals are handed over (the delegator)."),
    to: z.string().describe("The approver who may decide in their place (the delegate)."),
    starts_at: z.iso.datetime(),
    ends_at: z.iso.datetime(),
    action_types: z.array(z.string()).nullable(),
    reason: z.string().nullable(),
    created_by: z.string().describe("Who created it: the delegator, or an admin."),
    created_at: z.iso.datetime(),
    revoked_at: z.iso.datetime().nullable(),
    revoked_by: z.string().nullable(),
  })
  .meta({ id: "Delegation" });
export type Delegation = z.infer<typeof DelegationSchema>;

export const DelegationListSchema = z
  .strictObject({
    object: z.literal("list"),
    data: z.array(DelegationSchema),
    has_more: z.boolean(),
    next_cursor: z.string().nullable(),
  })
  .meta({ id: "DelegationList" });

export const RevokeDelegationRequestSchema = z
  .strictObject({ reason: z.string().trim().min(1).max(2_000).optional() })
  .meta({ id: "RevokeDelegationRequest" });
