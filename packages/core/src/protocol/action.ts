import { z } from "zod";
import { JsonValueSchema } from "./json-value.ts";
import { MAX_ACTION_BODY, MAX_ACTION_DESCRIPTION, MAX_ACTION_TITLE } from "./limits.ts";

export const RiskSchema = z.enum(["low", "medium", "high", "critical"]).meta({ id: "Risk" });
export type Risk = z.infer<typeof RiskSchema>;

/** Any JSON object: the arguments of the gated tool call. */
export const ActionDataSchema = z.record(z.string(), JsonValueSchema).meta({ id: "ActionData" });
export type ActionData = z.infer<typeof ActionDataSchema>;

/** The irreversible thing an agent wants to do, as an approver will read it. */
export const ActionSchema = z
  .strictObject({
    type: z
      .string()
      .min(1)
      .max(100)
      .regex(/\S/, "must not be blank")
      .describe("Kind of action, e.g. `payment`, `refund`, `deploy`."),
    title: z.string().max(MAX_ACTION_TITLE).optional().describe("One line an approver reads first."),
    description: z.string().max(MAX_ACTION_DESCRIPTION).optional(),
    body: z.string().max(MAX_ACTION_BODY).optional().describe("Markdown preview for the approver."),
    data: ActionDataSchema.optional().describe("The exact arguments the action will run with."),
    risk: RiskSchema.optional(),
  })
  .meta({ id: "Action" });
export type Action = z.infer<typeof ActionSchema>;
