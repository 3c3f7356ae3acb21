import { z } from "zod";

const SlackUserSchema = z.looseObject({ id: z.string().min(1) });

/** A click on a card button (`block_actions`). Only the fields this app reads are checked. */
export const BlockActionsPayloadSchema = z.looseObject({
  type: z.literal("block_actions"),
  user: SlackUserSchema,
  trigger_id: z.string().optional(),
  /** Where replies only the clicker sees go (valid 30 minutes, 5 replies). */
  response_url: z.string().optional(),
  container: z
    .looseObject({ channel_id: z.string().optional(), message_ts: z.string().optional() })
    .optional(),
  channel: z.looseObject({ id: z.string() }).optional(),
  message: z.looseObject({ ts: z.string().optional() }).optional(),
  actions: z.array(z.looseObject({ action_id: z.string(), value: z.string().optional() })).min(1),
});
export type BlockActionsPayload = z.infer<typeof BlockActionsPayloadSchema>;

const InputStateSchema = z.looseObject({
  value: z.string().nullish(),
  selected_option: z.looseObject({ value: z.string() }).nullish(),
});

/** The reject-reason modal submitted (`view_submission`). */
export const ViewSubmissionPayloadSchema = z.looseObject({
  type: z.literal("view_submission"),
  user: SlackUserSchema,
  view: z.looseObject({
    callback_id: z.string(),
    private_metadata: z.string().optional(),
    state: z.looseObject({ values: z.record(z.string(), z.record(z.string(), InputStateSchema)) }),
  }),
});
export type ViewSubmissionPayload = z.infer<typeof ViewSubmissionPayloadSchema>;

/** What the modal carries from the card that opened it (set by this app, echoed by Slack). */
export const ModalMetadataSchema = z.strictObject({
  pause_id: z.string().min(1),
  channel: z.string().nullable(),
  ts: z.string().nullable(),
  /** The click's `response_url`, so the submission's replies reach the clicker too. */
  response_url: z.string().nullable().optional(),
});

export type InteractionPayload =
  | { kind: "block_actions"; payload: BlockActionsPayload }
  | { kind: "view_submission"; payload: ViewSubmissionPayload }
  | { kind: "ignored"; type: string };

/**
 * Sorts a parsed interaction body. Kinds this app does not handle (shortcuts,
 * closed modals) are `ignored`; a malformed payload of a handled kind throws.
 */
export function parseInteractionPayload(body: unknown): InteractionPayload {
  const type = z.looseObject({ type: z.string() }).safeParse(body);
  if (!type.success) throw new Error("interaction payload without a type");
  if (type.data.type === "block_actions") {
    return { kind: "block_actions", payload: BlockActionsPayloadSchema.parse(body) };
  }
  if (type.data.type === "view_submission") {
    return { kind: "view_submission", payload: ViewSubmissionPayloadSchema.parse(body) };
  }
  return { kind: "ignored", type: type.data.type };
}
