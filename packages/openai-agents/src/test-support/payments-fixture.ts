import { type ActionData, createClient } from "@countersign/core";
import { startTestServer, type TestServer } from "@countersign/core/testing";
import { Agent, type FunctionTool, setTracingDisabled, tool } from "@openai/agents";
import {
  assistantMessage,
  functionCall,
  type ScriptedModel,
  type ScriptedModelInput,
} from "@openai/agents/testing";
import { z } from "zod";
import type { WithApprovalOptions } from "../approval-options.ts";
import { withApproval } from "../with-approval.ts";

setTracingDisabled(true);

export const PAYMENT = { payee: "Acme Corp", amount: 12450, currency: "USD" };
export const CALL_ID = "call_pay_1";

const PaymentSchema = z.object({ payee: z.string(), amount: z.number(), currency: z.string() });
export type Payment = z.infer<typeof PaymentSchema>;

/** The model asks to pay, then answers whatever it is given. */
export function payThenAnswer(...answers: string[]): ScriptedModelInput[] {
  return [
    [functionCall("pay_invoice", PAYMENT, { callId: CALL_ID })],
    ...answers.map((text) => [assistantMessage(text)]),
  ];
}

export interface PaymentsFixture {
  server: TestServer;
  /** Every real execution of the payment tool, with the arguments it ran with. */
  payments: Payment[];
  /** A fresh agent with its own gated tool and client, as a new process would build it. */
  agent(model: ScriptedModel, overrides?: Partial<WithApprovalOptions<Payment>>): Agent;
  /** The ungated payment tool, counting into `payments`. */
  payTool(): FunctionTool<unknown, typeof PaymentSchema, string>;
  close(): Promise<void>;
}

export async function startPaymentsFixture(): Promise<PaymentsFixture> {
  const server = await startTestServer();
  const payments: Payment[] = [];
  const payTool = () =>
    tool({
      name: "pay_invoice",
      description: "Pay a supplier invoice.",
      parameters: PaymentSchema,
      execute: async (payment) => {
        payments.push(payment);
        return `Paid ${payment.payee} ${payment.amount} ${payment.currency}`;
      },
    });
  let closed: Promise<void> | undefined;
  return {
    server,
    payments,
    payTool,
    agent(model, overrides = {}) {
      const client = createClient({ baseUrl: server.url, apiKey: server.agentKey });
      const pay = withApproval(payTool(), {
        client,
        agentId: "billing-agent",
        actionType: "payment",
        title: (payment) => `Pay ${payment.payee} ${payment.amount} ${payment.currency}`,
        risk: "high",
        verify: { keys: server.jwks },
        ...overrides,
      });
      return new Agent({ name: "billing", instructions: "Pay invoices.", model, tools: [pay] });
    },
    close() {
      closed ??= server.close();
      return closed;
    },
  };
}

/** Approves the next pending pause as alice, optionally with edited arguments. */
export async function approveNext(server: TestServer, data?: ActionData): Promise<string> {
  const pause = await server.nextPendingPause();
  await server.approve(pause.pause_id, data === undefined ? {} : { data });
  return pause.pause_id;
}

/** The tool outputs the model was given on its `index`-th call. */
export function toolOutputsSeen(model: ScriptedModel, index: number): string[] {
  const input = model.calls[index]?.request.input;
  if (!Array.isArray(input)) return [];
  return input.flatMap((item) => {
    if (item.type !== "function_call_result") return [];
    const output = item.output;
    if (typeof output === "string") return [output];
    if (!Array.isArray(output) && output.type === "text") return [output.text];
    return [JSON.stringify(output)];
  });
}
