import { createClient, type JwkSet } from "@countersign/core";
import { withApproval } from "@countersign/openai-agents";
import { Agent, setTracingDisabled, tool } from "@openai/agents";
import {
  assistantMessage,
  functionCall,
  modelResponder,
  ScriptedModel,
  type ScriptedModelInput,
} from "@openai/agents/testing";
import { z } from "zod";

// Offline demo: no traces are sent to OpenAI.
setTracingDisabled(true);

export interface Payment {
  payee: string;
  amount: number;
  currency: string;
}

/** Your real payment code. Here it only records what it was asked to do. */
export function paymentRail() {
  const sent: Payment[] = [];
  const payInvoice = tool({
    name: "pay_invoice",
    description: "Pay a supplier invoice.",
    parameters: z.object({ payee: z.string(), amount: z.number(), currency: z.string() }),
    execute: async (payment) => {
      sent.push(payment);
      return `Sent ${payment.amount} ${payment.currency} to ${payment.payee}.`;
    },
  });
  return { sent, payInvoice };
}

/** A model step that asks to pay `payment`. */
export function askToPay(payment: Payment, callId: string): ScriptedModelInput {
  return [functionCall("pay_invoice", { ...payment }, { callId })];
}

/** A model step that reports what the tool answered (or what the reviewer said). */
export function reportToolResult(): ScriptedModelInput {
  return modelResponder((call) => {
    const input = Array.isArray(call.request.input) ? call.request.input : [];
    const result = input.findLast((item) => item.type === "function_call_result");
    const output = result?.type === "function_call_result" ? result.output : undefined;
    const text =
      typeof output === "object" && output !== null && "text" in output ? output.text : String(output);
    return [assistantMessage(`Tool said: ${text}`)];
  });
}

/** The OpenAI Agents SDK's own test model: no API key, no network. */
export function scriptedModel(...steps: ScriptedModelInput[]): ScriptedModel {
  return new ScriptedModel(steps);
}

export interface PaymentsAgentOptions {
  url: string;
  agentKey: string;
  /** The Countersign server's public keys, pinned: proofs are checked against these only. */
  jwks: JwkSet;
  model: ScriptedModel;
  payInvoice: ReturnType<typeof paymentRail>["payInvoice"];
  webhookUrl?: string;
}

/** The agent, with payments over 1 000 gated by Countersign. Every process that resumes builds it the same way. */
export function paymentsAgent(options: PaymentsAgentOptions): Agent {
  const payInvoice = withApproval(options.payInvoice, {
    client: createClient({ baseUrl: options.url, apiKey: options.agentKey }),
    agentId: "billing-agent",
    verify: { keys: options.jwks },
    actionType: "payment",
    title: (payment) => `Pay ${payment.payee} ${payment.amount} ${payment.currency}`,
    risk: "high",
    when: (payment) => payment.amount > 1_000,
    ...(options.webhookUrl && { webhookUrl: options.webhookUrl }),
  });
  return new Agent({
    name: "billing",
    instructions: "Pay supplier invoices.",
    model: options.model,
    tools: [payInvoice],
  });
}
