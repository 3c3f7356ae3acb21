import { z } from "zod";
import { PauseSchema } from "./pause.ts";
import { ProofSchema } from "./proof.ts";

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

export const WebhookDeliverySchema = z
  .strictObject({
    object: z.literal("webhook_delivery"),
    delivery_id: z.string(),
    pause_id: z.string(),
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
