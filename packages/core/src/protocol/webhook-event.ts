import { z } from "zod";
import { PauseSchema } from "./pause.ts";
import { ProofSchema } from "./proof.ts";
import { ExecutionSchema } from "./receipt.ts";

/**
 * Body of a Standard Webhooks delivery: `pause.decided` when a pause leaves
 * pending, `pause.executed` when its claimer reports how the action ended
 * (with the signed receipt). Both carry the pause and its proof.
 */
export const WebhookEventSchema = z
  .discriminatedUnion("type", [
    z.strictObject({
      type: z.literal("pause.decided"),
      timestamp: z.iso.datetime(),
      data: z.strictObject({ pause: PauseSchema, proof: ProofSchema.nullable() }),
    }),
    z.strictObject({
      type: z.literal("pause.executed"),
      timestamp: z.iso.datetime(),
      data: z.strictObject({ pause: PauseSchema, proof: ProofSchema.nullable(), execution: ExecutionSchema }),
    }),
  ])
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
