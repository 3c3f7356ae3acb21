import type { JwkSet } from "@countersign/core";
import type { ApprovalClient } from "@countersign/langgraph";
import { withApproval } from "@countersign/langgraph";
import { AIMessage, ToolMessage } from "@langchain/core/messages";
import { type FakeBuiltModel, fakeModel } from "@langchain/core/testing";
import { tool } from "@langchain/core/tools";
import type { BaseCheckpointSaver } from "@langchain/langgraph";
import { createAgent } from "langchain";
import { z } from "zod";

export interface Refund {
  orderId: string;
  amount: number;
  currency: string;
}

/** Your real payment provider. Here it only records what it was asked to refund. */
export function paymentProvider() {
  const refunded: Refund[] = [];
  const refundPayment = tool(
    async (refund: Refund) => {
      refunded.push(refund);
      return `Refunded ${refund.amount} ${refund.currency} on order ${refund.orderId}.`;
    },
    {
      name: "refund_payment",
      description: "Refund (part of) what a customer paid for an order.",
      schema: z.object({ orderId: z.string(), amount: z.number().positive(), currency: z.string() }),
    },
  );
  return { refunded, refundPayment };
}

/**
 * LangChain's own fake chat model: no API key, no network. It asks for one
 * refund, then reports what the tool answered (or what the reviewer said).
 */
export function fakeSupportModel(refund: Refund, toolCallId: string): FakeBuiltModel {
  return fakeModel()
    .respondWithTools([{ name: "refund_payment", args: { ...refund }, id: toolCallId }])
    .respond(reportToolResult);
}

/** A model that only reports: what a process that resumes a paused thread needs. */
export function reportingModel(): FakeBuiltModel {
  return fakeModel().respond(reportToolResult);
}

function reportToolResult(messages: { text: string }[]): AIMessage {
  const result = messages.findLast((message) => ToolMessage.isInstance(message));
  return new AIMessage(`Tool said: ${result?.text ?? "(nothing)"}`);
}

export interface RefundAgentOptions {
  client: ApprovalClient;
  /** The Countersign server's public keys, pinned: proofs are checked against these only. */
  jwks: JwkSet;
  model: FakeBuiltModel;
  refundPayment: ReturnType<typeof paymentProvider>["refundPayment"];
  /** Where thread state lives. Every process that resumes a thread must share it. */
  checkpointer: BaseCheckpointSaver;
  webhookUrl?: string;
}

/** The agent, with refunds over 50 gated by Countersign. Every process that resumes builds it the same way. */
export function refundAgent(options: RefundAgentOptions) {
  const refundPayment = withApproval(options.refundPayment, {
    client: options.client,
    agentId: "support-agent",
    verify: { keys: options.jwks },
    actionType: "refund",
    title: (refund) => `Refund ${refund.amount} ${refund.currency} on order ${refund.orderId}`,
    risk: "medium",
    when: (refund) => refund.amount > 50,
    ...(options.webhookUrl && { webhookUrl: options.webhookUrl }),
  });
  return createAgent({ model: options.model, tools: [refundPayment], checkpointer: options.checkpointer });
}
