import { z } from "zod";
import { PauseStatusSchema } from "./pause.ts";

/** The most pauses one batch decides (a batch is many single decisions, one after another). */
export const MAX_BATCH_DECISIONS = 100;

/** Body of `POST /v1/decisions`. */
export const BatchDecisionRequestSchema = z
  .strictObject({
    pause_ids: z
      .array(z.string().min(1).max(100))
      .min(1)
      .max(MAX_BATCH_DECISIONS)
      .refine((ids) => new Set(ids).size === ids.length, "each pause at most once")
      .describe(`The pauses to decide, at most ${MAX_BATCH_DECISIONS}.`),
    decision: z.enum(["approve", "reject"]),
    reason: z.string().trim().min(1).max(2_000).optional().describe("Recorded with each decision."),
  })
  .meta({ id: "BatchDecisionRequest" });
export type BatchDecisionRequest = z.infer<typeof BatchDecisionRequestSchema>;

export const BatchDecisionItemSchema = z
  .strictObject({
    pause_id: z.string(),
    status: PauseStatusSchema.nullable().describe(
      "The pause's status after this item (`pending` while a quorum is incomplete); null when there is no such pause.",
    ),
    proof_id: z.string().nullable().describe("The proof this decision issued, if it settled the pause."),
    error: z
      .strictObject({ code: z.string(), status: z.int(), detail: z.string() })
      .optional()
      .describe("Why this item was not decided (as the single decision would have answered)."),
  })
  .meta({ id: "BatchDecisionItem" });
export type BatchDecisionItem = z.infer<typeof BatchDecisionItemSchema>;

export const BatchDecisionResultSchema = z
  .strictObject({
    object: z.literal("batch_decision"),
    decision: z.enum(["approve", "reject"]),
    decided: z.int().describe("Items this call decided (or counted toward a quorum)."),
    failed: z.int(),
    results: z.array(BatchDecisionItemSchema).describe("One per pause id, in request order."),
  })
  .meta({ id: "BatchDecisionResult" });
export type BatchDecisionResult = z.infer<typeof BatchDecisionResultSchema>;
