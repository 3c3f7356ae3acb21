import { z } from "zod";
import { JsonValueSchema } from "./json-value.ts";

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
    title: z.string().max(200).optional().describe("One line an approver reads first."),
    description: z.string().max(2_000).optional(),
    body: z.string().max(20_000).optional().describe("Markdown preview for the approver."),
    data: ActionDataSchema.optional().describe("The exact arguments the action will run with."),
    risk: RiskSchema.optional(),
  })
  .meta({ id: "Action" });
export type Action = z.infer<typeof ActionSchema>;
