import { z } from "zod";
import { ActionDataSchema } from "./action.ts";

/** Body of `POST /v1/pauses/{id}/decision`. */
export const DecisionRequestSchema = z
  .strictObject({
    decision: z.enum(["approve", "reject"]),
    reason: z.string().trim().min(1).max(2_000).optional(),
    data: ActionDataSchema.optional().describe("Edited arguments: approve with edits. Only with `approve`."),
    override: z
      .boolean()
      .optional()
      .describe(
        "Break-glass (admin keys only): decide outside the routed approvers and quorum. Needs a `reason`; flagged in the proof and the audit log.",
      ),
  })
  .refine((body) => body.decision === "approve" || body.data === undefined, {
    path: ["data"],
    message: "edited data can only accompany an approval",
  })
  .refine((body) => body.override !== true || body.reason !== undefined, {
    path: ["reason"],
    message: "an override needs a reason",
  })
  .meta({ id: "DecisionRequest" });
export type DecisionRequest = z.infer<typeof DecisionRequestSchema>;

export const ClaimRequestSchema = z
  .strictObject({ proof_id: z.string().min(1).max(100).optional() })
  .meta({ id: "ClaimRequest" });
export type ClaimRequest = z.infer<typeof ClaimRequestSchema>;

export const CancelRequestSchema = z
  .strictObject({ reason: z.string().trim().min(1).max(2_000).optional() })
  .meta({ id: "CancelRequest" });
export type CancelRequest = z.infer<typeof CancelRequestSchema>;
