import { z } from "zod";
import { REASON_INPUT_ID } from "./action-verbs.ts";

/**
 * The `value` of an `adaptiveCard/action` invoke as Teams sends it for an
 * `Action.Execute`: the verb, the action's `data` merged with the card's
 * inputs, and what triggered it. Unknown fields are kept out of the way.
 */
export const CardActionValueSchema = z.object({
  action: z.object({
    type: z.literal("Action.Execute"),
    verb: z.string().max(200),
    data: z
      .object({
        pause_id: z.string().min(1).max(200),
        [REASON_INPUT_ID]: z.string().max(10_000).optional(),
      })
      .loose(),
  }),
  trigger: z.enum(["manual", "automatic"]).optional(),
});
export type CardActionValue = z.infer<typeof CardActionValueSchema>;

/** The parts of the invoke activity this channel reads. The token already vouched for its sender. */
export const CardActionActivitySchema = z.object({
  type: z.literal("invoke"),
  name: z.literal("adaptiveCard/action"),
  serviceUrl: z.string().min(1),
  replyToId: z.string().min(1).optional(),
  from: z.object({ id: z.string().min(1), aadObjectId: z.string().optional() }),
  conversation: z.object({ id: z.string().min(1), tenantId: z.string().optional() }),
  channelData: z
    .object({ tenant: z.object({ id: z.string() }).optional() })
    .loose()
    .optional(),
  value: CardActionValueSchema,
});
export type CardActionActivity = z.infer<typeof CardActionActivitySchema>;
