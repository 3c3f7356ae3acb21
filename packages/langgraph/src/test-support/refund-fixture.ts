import { randomUUID } from "node:crypto";
import { type CountersignClient, createClient, type JwkSet, type Pause } from "@countersign/core";
import { startTestServer, type TestServer } from "@countersign/core/testing";
import { AIMessage, type BaseMessage, ToolMessage } from "@langchain/core/messages";
import { type FakeBuiltModel, fakeModel } from "@langchain/core/testing";
import { tool } from "@langchain/core/tools";
import { z } from "zod";

export interface RefundArgs {
  orderId: string;
  amount: number;
  currency: string;
}

/** A refund tool that records every time it really runs. */
export function refundTool() {
  const runs: RefundArgs[] = [];
  const refund = tool(
    async (args: RefundArgs) => {
      runs.push(args);
      return `Refunded ${args.amount} ${args.currency} for order ${args.orderId}`;
    },
    {
      name: "refund_payment",
      description: "Refund a customer's payment for an order.",
      schema: z.object({ orderId: z.string(), amount: z.number(), currency: z.string() }),
    },
  );
  return { refund, runs };
}

export function lookupTool() {
  const runs: string[] = [];
  const lookup = tool(
    async ({ orderId }: { orderId: string }) => {
      runs.push(orderId);
      return `Order ${orderId}: 2 items, paid`;
    },
    { name: "lookup_order", description: "Look up an order.", schema: z.object({ orderId: z.string() }) },
  );
  return { lookup, runs };
}

export interface ScriptedCall {
  name: string;
  args: Record<string, unknown>;
  id?: string;
}

/** A fake chat model that asks for these tool calls once, then answers "done" as often as asked. */
export function scriptedModel(calls: ScriptedCall[], finalAnswers = 4): FakeBuiltModel {
  const model = fakeModel().respondWithTools(calls.map((call) => ({ ...call, id: call.id ?? toolCallId() })));
  for (let index = 0; index < finalAnswers; index++) model.respond(new AIMessage("done"));
  return model;
}

export function toolCallId(): string {
  return `call_${randomUUID().slice(0, 8)}`;
}

export function threadConfig() {
  return { configurable: { thread_id: `thread-${randomUUID()}` } };
}

/** The tool messages the model was shown on its last call. */
export function toolMessagesSeen(model: FakeBuiltModel): ToolMessage[] {
  const last = model.calls.at(-1);
  return (last?.messages ?? []).filter((message: BaseMessage) => ToolMessage.isInstance(message));
}

export function textOf(message: BaseMessage | undefined): string {
  return message ? message.text : "";
}

export interface Countersign {
  server: TestServer;
  client: CountersignClient;
  /** The server's public keys, pinned as a user would pin them. */
  verify: { keys: JwkSet };
  /** The pauses opened for one LangGraph thread. */
  pausesOf(config: { configurable: { thread_id: string } }): Promise<Pause[]>;
}

export async function startCountersign(): Promise<Countersign> {
  const server = await startTestServer();
  const client = createClient({ baseUrl: server.url, apiKey: server.agentKey });
  return {
    server,
    client,
    verify: { keys: server.jwks },
    async pausesOf(config) {
      const { items } = await server.server.service.listPauses({ limit: 100 });
      return items.filter((pause) => pause.context.thread_id === config.configurable.thread_id);
    },
  };
}
