import { z } from "zod";
import { PauseSchema } from "./pause.ts";
import { ProofSchema } from "./proof.ts";
import { ExecutionSchema } from "./receipt.ts";
import { WebhookEndpointEventSchema } from "./webhook-endpoint.ts";

/**
 * Body of a Standard Webhooks delivery to a pause's `webhook_url`: the
 * decision, once, when the pause leaves pending.
 */
export const WebhookEventSchema = z
  .strictObject({
    type: z.literal("pause.decided"),
    timestamp: z.iso.datetime(),
    data: z.strictObject({ pause: PauseSchema, proof: ProofSchema.nullable() }),
  })
  .meta({ id: "WebhookEvent" });
export type WebhookEvent = z.infer<typeof WebhookEventSchema>;

/**
 * Body of a delivery to a registered webhook endpoint: the event, the pause
 * as it is after it, its proof once decided and its receipt once executed.
 */
export const EndpointEventSchema = z
  .strictObject({
    type: WebhookEndpointEventSchema,
    timestamp: z.iso.datetime(),
    data: z.strictObject({
      pause: PauseSchema,
      proof: ProofSchema.nullable(),
      receipt: ExecutionSchema.nullable(),
    }),
  })
  .meta({ id: "EndpointEvent" });
export type EndpointEvent = z.infer<typeof EndpointEventSchema>;

export const WebhookDeliverySchema = z
  .strictObject({
    object: z.literal("webhook_delivery"),
    delivery_id: z.string(),
    pause_id: z.string(),
    endpoint_id: z
      .string()
      .nullable()
      .describe("The registered endpoint, or null for the pause's own `webhook_url`."),
    url: z.string(),
    status: z.enum(["pending", "delivered", "failed", "disabled"]),
    attempts: z.int(),
    next_attempt_at: z.iso.datetime().nullable(),
    last_status: z.int().nullable(),
    last_error: z.string().nullable(),
    created_at: z.iso.datetime(),
  })
  .meta({ id: "WebhookDelivery" });
export type WebhookDelivery = z.infer<typeof WebhookDeliverySchema>;
