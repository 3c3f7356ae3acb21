import { z } from "zod";
import { ActionSchema } from "./action.ts";
import { JsonValueSchema } from "./json-value.ts";

export const ChannelSchema = z.enum(["slack", "email", "web", "teams"]).meta({ id: "Channel" });
export type Channel = z.infer<typeof ChannelSchema>;

export const RecipientSchema = z
  .strictObject({ channel: ChannelSchema, target: z.string().trim().min(1).max(320) })
  .meta({ id: "Recipient" });
export type Recipient = z.infer<typeof RecipientSchema>;

/** Free-form JSON object, bounded by the request body limit. */
export const JsonObjectSchema = z.record(z.string(), JsonValueSchema);

export const MAX_EXPIRES_IN_SECONDS = 30 * 24 * 3600;
export const DEFAULT_EXPIRES_IN_SECONDS = 3600;

export const WebhookUrlSchema = z
  .url({ protocol: /^https?$/, hostname: z.regexes.hostname })
  .max(2_048)
  .describe("Where the decided pause is POSTed as a Standard Webhook.");

/** Body of `POST /v1/pauses`. Only `agent_id` and `action.type` are required. */
export const PauseRequestSchema = z
  .strictObject({
    agent_id: z.string().min(1).max(200).regex(/\S/, "must not be blank"),
    action: ActionSchema,
    recipients: z.array(RecipientSchema).max(50).optional(),
    webhook_url: WebhookUrlSchema.optional(),
    expires_in: z
      .int()
      .min(1)
      .max(MAX_EXPIRES_IN_SECONDS)
      .optional()
      .describe(`Seconds until a pending pause expires (a reject). Default ${DEFAULT_EXPIRES_IN_SECONDS}.`),
    context: JsonObjectSchema.optional().describe("Where the agent was: thread_id, tool_call_id, framework."),
    metadata: JsonObjectSchema.optional(),
  })
  .meta({ id: "PauseRequest" });
export type PauseRequest = z.input<typeof PauseRequestSchema>;
export type ParsedPauseRequest = z.output<typeof PauseRequestSchema>;
