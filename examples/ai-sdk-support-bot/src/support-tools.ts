import { type ApprovalClient, type VerifyWith, withApproval } from "@countersign/ai-sdk";
import { tool } from "ai";
import { z } from "zod";

export interface Refund {
  orderId: string;
  amountUsd: number;
  reason: string;
}

/** The bot's tools. `issue_refund` moves money, so refunds above $50 wait for a human. */
export function supportTools(countersign: { client: ApprovalClient; verify: VerifyWith }, refunds: Refund[]) {
  const issueRefund = tool({
    description: "Refund (part of) an order to the customer's card.",
    inputSchema: z.object({
      orderId: z.string(),
      amountUsd: z.number().positive(),
      reason: z.string(),
    }),
    execute: async (refund: Refund) => {
      // Your payment provider call goes here.
      refunds.push(refund);
      return { refundId: `re_${refunds.length}`, ...refund };
    },
  });

  return {
    issue_refund: withApproval(issueRefund, {
      ...countersign,
      agentId: "support-bot",
      title: ({ orderId, amountUsd }) => `Refund $${amountUsd} on order ${orderId}`,
      body: ({ reason }) => `The customer says: ${reason}`,
      risk: ({ amountUsd }) => (amountUsd >= 500 ? "high" : "medium"),
      recipients: [{ channel: "slack", target: "#support-approvals" }],
      when: ({ amountUsd }) => amountUsd > 50,
    }),
  };
}
