import { approvedCall, type CountersignClient, type JwkSet } from "@countersign/core";
import { withApproval } from "@countersign/langgraph";
import { AIMessage, ToolMessage } from "@langchain/core/messages";
import { type FakeBuiltModel, fakeModel } from "@langchain/core/testing";
import { tool } from "@langchain/core/tools";
import type { BaseCheckpointSaver } from "@langchain/langgraph";
import { createAgent } from "langchain";
import { z } from "zod";

export interface Invoice {
  payee: string;
  amount: number;
  currency: string;
}

export interface PaymentAgentOptions {
  client: CountersignClient;
  /** Countersign's public keys, pinned. */
  jwks: JwkSet;
  /** The payment service's base URL. */
  paymentsUrl: string;
  model: FakeBuiltModel;
  checkpointer: BaseCheckpointSaver;
}

/** The agent: its `pay_invoice` tool calls the payment service, with the proof, after a human approved. */
export function paymentAgent(options: PaymentAgentOptions) {
  const payInvoice = tool(
    async (invoice: Invoice) => {
      const response = await fetch(`${options.paymentsUrl}/payments`, {
        method: "POST",
        // The approval this call runs under: the service verifies it, claims it once, records the receipt.
        headers: { "content-type": "application/json", ...approvedCall().headers },
        body: JSON.stringify(invoice), // the approved arguments: the adapter applied any edits
      });
      const body = (await response.json()) as Record<string, unknown>;
      if (!response.ok)
        return `The payment service refused (${response.status} ${body.code}): ${body.detail}`;
      return `Paid ${body.amount} ${body.currency} to ${body.payee} (${body.payment_id}).`;
    },
    {
      name: "pay_invoice",
      description: "Pay a supplier's invoice.",
      schema: z.object({ payee: z.string(), amount: z.number().positive(), currency: z.string() }),
    },
  );
  const gated = withApproval(payInvoice, {
    client: options.client,
    agentId: "billing-agent",
    claimedBy: "service", // the payment service claims the approval where the money moves
    verify: { keys: options.jwks },
    actionType: "payment", // the service maps POST /payments to this type
    title: (invoice) => `Pay ${invoice.payee} ${invoice.amount} ${invoice.currency}`,
    risk: "high",
  });
  return createAgent({ model: options.model, tools: [gated], checkpointer: options.checkpointer });
}

/** LangChain's own fake chat model: asks to pay one invoice, then reports what the tool said. */
export function fakeBillingModel(invoice: Invoice, toolCallId: string): FakeBuiltModel {
  return fakeModel()
    .respondWithTools([{ name: "pay_invoice", args: { ...invoice }, id: toolCallId }])
    .respond((messages: { text: string }[]) => {
      const result = messages.findLast((message) => ToolMessage.isInstance(message));
      return new AIMessage(`Tool said: ${result?.text ?? "(nothing)"}`);
    });
}
