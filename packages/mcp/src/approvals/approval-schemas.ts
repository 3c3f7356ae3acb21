import { z } from "zod";

const RiskSchema = z.enum(["low", "medium", "high", "critical"]);
const WaitSchema = z
  .int()
  .min(0)
  .optional()
  .describe("Seconds to wait for the decision in this call (capped by the server's window). 0: do not wait.");

export const RequestApprovalInput = {
  action_type: z
    .string()
    .min(1)
    .max(100)
    .describe("Kind of action, e.g. `payment`, `refund`, `deploy`, `email.send`."),
  title: z
    .string()
    .max(200)
    .optional()
    .describe("One line the approver reads first, e.g. `Refund order 1234 ($250)`."),
  description: z.string().max(2_000).optional(),
  body: z
    .string()
    .max(20_000)
    .optional()
    .describe("Markdown preview for the approver (the e-mail text, the diff)."),
  data: z
    .record(z.string(), z.unknown())
    .optional()
    .describe("The exact arguments the action will run with; an approver may edit them."),
  risk: RiskSchema.optional(),
  expires_in: z
    .int()
    .min(1)
    .max(30 * 86_400)
    .optional()
    .describe("Seconds until the request expires (a rejection)."),
  request_id: z
    .string()
    .max(200)
    .optional()
    .describe("Identical requests land on the same approval; a new request_id asks again."),
  wait_seconds: WaitSchema,
};

export const GetApprovalInput = {
  pause_id: z.string().min(1).max(100),
  wait_seconds: WaitSchema,
};

export const CancelApprovalInput = {
  pause_id: z.string().min(1).max(100),
  reason: z.string().max(2_000).optional(),
};

export const ClaimApprovalInput = {
  pause_id: z.string().min(1).max(100),
};

/** Structured content of request_approval and get_approval (and cancel_approval). */
export const ApprovalOutput = {
  status: z.enum(["pending", "approved", "rejected", "expired", "cancelled"]),
  approved: z.boolean().describe("True only when a verified proof says approved for this action."),
  pause_id: z.string(),
  reason: z.string().nullable(),
  data: z
    .record(z.string(), z.unknown())
    .nullable()
    .describe("The arguments to act with: the approver's edits, else the requested data."),
  edited: z.boolean(),
  decided_by: z.object({ kind: z.string(), id: z.string(), channel: z.string().optional() }).nullable(),
  proof: z
    .record(z.string(), z.unknown())
    .nullable()
    .describe("The signed decision proof (verify it offline)."),
  routed_to: z.string(),
  expires_at: z.string(),
  inbox_url: z.string(),
};

export const ClaimOutput = {
  pause_id: z.string(),
  proof_id: z.string(),
  claimed_at: z.string(),
};
