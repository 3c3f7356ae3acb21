import type { CountersignClient, Pause } from "@countersign/core";
import type { TestServer } from "@countersign/core/testing";
import { z } from "zod";
import type { ApprovalOptions } from "../approval-options.ts";
import { withApproval } from "../with-approval.ts";
import type { ScriptedToolCall } from "./scripted-model.ts";
import type { SdkUnderTest } from "./sdk-versions.ts";

export interface RefundInput {
  orderId: string;
  amountCents: number;
}

export const refundCall = (
  input: RefundInput = { orderId: "42", amountCents: 12_000 },
  toolCallId = "call-1",
) => ({ toolCallId, toolName: "issue_refund", input }) satisfies ScriptedToolCall;

/** A gated `issue_refund` tool that records every real execution. */
export function refundTools(
  sdk: SdkUnderTest,
  countersign: { client: CountersignClient; server: TestServer },
  options: Partial<ApprovalOptions<RefundInput>> = {},
) {
  const runs: RefundInput[] = [];
  const issueRefund: { execute: (input: RefundInput) => Promise<unknown>; inputSchema: unknown } = sdk.tool({
    description: "Refund an order, in cents",
    inputSchema: z.object({ orderId: z.string(), amountCents: z.number().int().positive() }),
    execute: async (input: RefundInput) => {
      runs.push(input);
      return { refundId: `re_${runs.length}`, ...input };
    },
  });
  const tools = {
    issue_refund: withApproval(issueRefund, {
      client: countersign.client,
      agentId: "support-bot",
      verify: { keys: countersign.server.jwks },
      title: (input: RefundInput) => `Refund ${input.amountCents} cents on order ${input.orderId}`,
      risk: "high",
      ...options,
    }),
  };
  return { tools, runs };
}

export const userAsksForRefund = [{ role: "user" as const, content: "Please refund order 42." }];

/** The approval ids of the `tool-approval-request` parts in a result's content. */
export function approvalIdsIn(content: readonly unknown[]): string[] {
  return (content as { type: string; approvalId?: string }[])
    .filter((part) => part.type === "tool-approval-request")
    .map((part) => part.approvalId as string);
}

/** Waits for the pending pause opened for this SDK approval id (what an approver sees in the inbox). */
export async function pendingPauseFor(
  server: TestServer,
  approvalId: string,
  timeoutMs = 10_000,
): Promise<Pause> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const page = await server.server.service.listPauses({ status: "pending", limit: 50 });
    const pause = page.items.find((item) => item.context.approval_id === approvalId);
    if (pause) return pause;
    if (Date.now() > deadline) throw new Error(`no pending pause for approval ${approvalId}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
