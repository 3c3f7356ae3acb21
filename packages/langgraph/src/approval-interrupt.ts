import { type Action, ActionSchema, type Pause, RiskSchema } from "@countersign/core";
import { z } from "zod";
import type { CallSite } from "./pause-request.ts";

export const APPROVAL_INTERRUPT_TYPE = "countersign.approval";

/** What a human reads before deciding: enough to print, post, or render as a card. */
export const ApprovalCardSchema = z.looseObject({
  title: z.string(),
  /** Markdown. */
  body: z.string(),
  risk: RiskSchema.optional(),
  /** Where to approve or reject (the Countersign inbox). */
  url: z.string(),
  expiresAt: z.string(),
});
export type ApprovalCard = z.infer<typeof ApprovalCardSchema>;

/** The value a gated tool passes to `interrupt()`: what `__interrupt__[].value` holds. */
export const ApprovalInterruptSchema = z.looseObject({
  type: z.literal(APPROVAL_INTERRUPT_TYPE),
  pauseId: z.string(),
  agentId: z.string(),
  threadId: z.string(),
  toolCallId: z.string(),
  toolName: z.string(),
  action: ActionSchema,
  card: ApprovalCardSchema,
});
export type ApprovalInterrupt = z.infer<typeof ApprovalInterruptSchema>;

export function approvalInterrupt(pause: Pause, action: Action, site: CallSite): ApprovalInterrupt {
  const card: ApprovalCard = {
    title: action.title ?? action.type,
    body: action.body ?? "",
    url: pause.links.inbox,
    expiresAt: pause.expires_at,
  };
  if (action.risk !== undefined) card.risk = action.risk;
  return {
    type: APPROVAL_INTERRUPT_TYPE,
    pauseId: pause.pause_id,
    agentId: pause.agent_id,
    threadId: site.threadId,
    toolCallId: site.toolCallId,
    toolName: site.toolName,
    action,
    card,
  };
}

export function isApprovalInterrupt(value: unknown): value is ApprovalInterrupt {
  return ApprovalInterruptSchema.safeParse(value).success;
}
