import { z } from "zod";
import { WebhookUrlSchema } from "./pause-request.ts";

/** The events an endpoint may subscribe to. */
export const WebhookEndpointEventSchema = z
  .enum(["pause.opened", "pause.decided", "pause.expired", "pause.executed"])
  .describe(
    "`pause.opened`: a pause was opened; `pause.decided`: approved, rejected or cancelled; `pause.expired`: no decision in time (a reject); `pause.executed`: the execution receipt was reported.",
  );
export type WebhookEndpointEvent = z.infer<typeof WebhookEndpointEventSchema>;

const GlobSchema = z.string().trim().min(1, "must not be empty").max(200);

export const WebhookEndpointFilterSchema = z
  .strictObject({
    agent_id: GlobSchema.optional().describe(
      "Only pauses of this agent (a glob such as `billing-*` is allowed).",
    ),
    action_type: GlobSchema.optional().describe("Only pauses of this action type (a glob is allowed)."),
  })
  .meta({ id: "WebhookEndpointFilter" });
export type WebhookEndpointFilter = z.infer<typeof WebhookEndpointFilterSchema>;

const EventsSchema = z
  .array(WebhookEndpointEventSchema)
  .min(1, "name at least one event")
  .max(4)
  .refine((events) => new Set(events).size === events.length, "names an event twice");

const DescriptionSchema = z.string().trim().max(500);

/** Body of `POST /v1/webhook-endpoints`. */
export const WebhookEndpointRequestSchema = z
  .strictObject({
    url: WebhookUrlSchema.describe("Where events are POSTed as Standard Webhooks."),
    events: EventsSchema,
    filter: WebhookEndpointFilterSchema.optional(),
    description: DescriptionSchema.optional(),
  })
  .meta({ id: "WebhookEndpointRequest" });
export type WebhookEndpointRequest = z.infer<typeof WebhookEndpointRequestSchema>;

/** Body of `PATCH /v1/webhook-endpoints/{endpoint_id}`: what is given changes. */
export const WebhookEndpointUpdateSchema = z
  .strictObject({
    url: WebhookUrlSchema.optional(),
    events: EventsSchema.optional(),
    filter: WebhookEndpointFilterSchema.nullable().optional().describe("`null` removes the filter."),
    description: DescriptionSchema.nullable().optional(),
    status: z.enum(["enabled", "disabled"]).optional(),
  })
  .meta({ id: "WebhookEndpointUpdate" });
export type WebhookEndpointUpdate = z.infer<typeof WebhookEndpointUpdateSchema>;

export const MAX_SECRET_GRACE_SECONDS = 7 * 86_400;
export const DEFAULT_SECRET_GRACE_SECONDS = 86_400;

/** Body of `POST /v1/webhook-endpoints/{endpoint_id}/rotate-secret`. */
export const RotateEndpointSecretSchema = z
  .strictObject({
    expires_in: z
      .int()
      .min(0)
      .max(MAX_SECRET_GRACE_SECONDS)
      .optional()
      .describe(
        `Seconds the old secret stays valid (deliveries carry a signature with each secret). Default ${DEFAULT_SECRET_GRACE_SECONDS}; 0 ends it now.`,
      ),
  })
  .meta({ id: "RotateEndpointSecret" });

export const WebhookEndpointSchema = z
  .strictObject({
    object: z.literal("webhook_endpoint"),
    endpoint_id: z.string(),
    url: z.string(),
    events: z.array(WebhookEndpointEventSchema),
    filter: WebhookEndpointFilterSchema.nullable(),
    description: z.string().nullable(),
    status: z.enum(["enabled", "disabled"]),
    created_by: z.string().describe("The admin key that registered it."),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
    previous_secret_expires_at: z.iso
      .datetime()
      .nullable()
      .describe("Until then deliveries are also signed with the secret before the last rotation."),
  })
  .meta({ id: "WebhookEndpoint" });
export type WebhookEndpoint = z.infer<typeof WebhookEndpointSchema>;

/** The endpoint with its secret: only in the answer to create and rotate. */
export const WebhookEndpointWithSecretSchema = WebhookEndpointSchema.extend({
  secret: z.string().describe("The `whsec_` signing secret. Shown once: store it now."),
}).meta({ id: "WebhookEndpointWithSecret" });

export const WebhookEndpointListSchema = z
  .strictObject({
    object: z.literal("list"),
    data: z.array(WebhookEndpointSchema),
    has_more: z.boolean(),
    next_cursor: z.string().nullable(),
  })
  .meta({ id: "WebhookEndpointList" });
