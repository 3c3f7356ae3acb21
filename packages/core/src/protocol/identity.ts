import { z } from "zod";

/** A person who may approve, as `GET /v1/identities` shows them. */
export const IdentitySchema = z
  .strictObject({
    object: z.literal("identity"),
    identity: z
      .string()
      .describe("Stable id, usually the e-mail address; what proofs name in `decided_by.id`."),
    email: z.string().nullable(),
    slack_user_id: z.string().nullable(),
    teams_user_id: z
      .string()
      .nullable()
      .describe("Microsoft Entra object id of the person's Teams account (lower-case GUID)."),
    display_name: z.string().nullable(),
    groups: z.array(z.string()).describe("Groups a policy routes to as `group:<name>`."),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
  })
  .meta({ id: "Identity" });
export type Identity = z.infer<typeof IdentitySchema>;

/** Body of `PUT /v1/identities/{identity}`: the whole record (fields left out are cleared). */
export const IdentityInputSchema = z
  .strictObject({
    email: z.email().max(320).nullable().optional(),
    slack_user_id: z
      .string()
      .regex(/^[UW][A-Z0-9]{2,}$/, "a Slack user id such as U012ABCDEF")
      .nullable()
      .optional(),
    teams_user_id: z
      .string()
      .regex(
        /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/,
        "a Microsoft Entra object id such as 8d6c1f0e-3b1a-4c55-9a8e-2f4b7c9d0e11",
      )
      .nullable()
      .optional(),
    display_name: z.string().trim().min(1).max(200).nullable().optional(),
    groups: z
      .array(z.string().regex(/^[\w.-]{1,100}$/, "letters, digits, '.', '_' or '-'"))
      .max(100)
      .default([]),
  })
  .meta({ id: "IdentityInput" });
export type IdentityInput = z.input<typeof IdentityInputSchema>;

export const IdentityListSchema = z
  .strictObject({
    object: z.literal("list"),
    data: z.array(IdentitySchema),
    has_more: z.boolean(),
    next_cursor: z.string().nullable(),
  })
  .meta({ id: "IdentityList" });
