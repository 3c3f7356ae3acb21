import { z } from "zod";

const GlobSchema = z.string().trim().min(1, "must not be empty").max(200);

/** Parsed by the server with the policy's condition parser (protocol does not import policy). */
const ConditionSourceSchema = z.string().trim().min(1).max(500);

export const GrantTotalSchema = z
  .strictObject({
    field: z
      .string()
      .trim()
      .regex(/^[A-Za-z_][\w-]*(?:\.[\w-]+)*$/, "a field of action.data, e.g. amount or order.total")
      .describe("A numeric field of `action.data` (dots for nested fields)."),
    max: z.number().positive().finite().describe("The most the grant's uses may add up to."),
  })
  .meta({ id: "GrantTotal" });
export type GrantTotal = z.infer<typeof GrantTotalSchema>;

/** Body of `POST /v1/grants`. */
export const GrantRequestSchema = z
  .strictObject({
    agent_ids: z
      .array(GlobSchema)
      .min(1)
      .max(50)
      .describe("The agents it covers: ids or globs (`support-*`)."),
    action_type: GlobSchema.describe("The action type it covers (a glob is allowed)."),
    conditions: z
      .array(ConditionSourceSchema)
      .max(20)
      .optional()
      .describe(
        "Conditions on `action.data` in the policy's condition language, e.g. `amount <= 200`; all must hold.",
      ),
    max_count: z.int().min(1).max(1_000_000).optional().describe("How many pauses it may approve."),
    max_total: GrantTotalSchema.optional().describe(
      "A ceiling on the sum of one numeric field over every use (e.g. `{field: amount, max: 2000}`). A pause without that field as a non-negative number is not covered.",
    ),
    expires_at: z.iso
      .datetime()
      .optional()
      .describe("When it ends; at most the policy's grant maximum ahead."),
    expires_in: z
      .int()
      .min(1)
      .max(30 * 86_400)
      .optional()
      .describe("Seconds from now, instead of `expires_at`."),
    reason: z.string().trim().min(1).max(2_000).optional().describe("Why, for the audit log."),
  })
  .refine((body) => (body.expires_at === undefined) !== (body.expires_in === undefined), {
    path: ["expires_at"],
    message: "give exactly one of expires_at and expires_in",
  })
  .meta({ id: "GrantRequest" });
export type GrantRequest = z.infer<typeof GrantRequestSchema>;

export const GrantStatusSchema = z
  .enum(["active", "exhausted", "expired", "revoked"])
  .meta({ id: "GrantStatus" });
export type GrantStatus = z.infer<typeof GrantStatusSchema>;

/** A standing grant as the API shows it, with what is left of it. */
export const GrantSchema = z
  .strictObject({
    object: z.literal("grant"),
    grant_id: z.string(),
    status: GrantStatusSchema,
    granted_by: z.string().describe("The approver who granted it; accountable for every use."),
    agent_ids: z.array(z.string()),
    action_type: z.string(),
    conditions: z.array(z.string()),
    max_count: z.int().nullable(),
    max_total: GrantTotalSchema.nullable(),
    used_count: z.int(),
    used_total: z.number(),
    remaining_count: z.int().nullable(),
    remaining_total: z.number().nullable(),
    reason: z.string().nullable(),
    created_at: z.iso.datetime(),
    expires_at: z.iso.datetime(),
    revoked_at: z.iso.datetime().nullable(),
    revoked_by: z.string().nullable(),
  })
  .meta({ id: "Grant" });
export type Grant = z.infer<typeof GrantSchema>;

export const GrantListSchema = z
  .strictObject({
    object: z.literal("list"),
    data: z.array(GrantSchema),
    has_more: z.boolean(),
    next_cursor: z.string().nullable(),
  })
  .meta({ id: "GrantList" });

export const RevokeGrantRequestSchema = z
  .strictObject({ reason: z.string().trim().min(1).max(2_000).optional() })
  .meta({ id: "RevokeGrantRequest" });
