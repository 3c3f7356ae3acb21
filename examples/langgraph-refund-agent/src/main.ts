import { randomUUID } from "node:crypto";
import { createClient } from "@countersign/core";
import { approvalRequests, waitForDecision } from "@countersign/langgraph";
import { MemorySaver } from "@langchain/langgraph";
import { startApprovalServer } from "./approval-server.ts";
import { printCard, runDemo } from "./demo.ts";
import { fakeSupportModel, paymentProvider, refundAgent } from "./refund-agent.ts";

const log = (line: string) => console.log(line);

if (process.argv.includes("--manual")) await manual();
else await runDemo(log);

/** One refund that waits for you: decide it with the printed command, from another terminal. */
async function manual(): Promise<void> {
  const countersign = await startApprovalServer();
  try {
    const client = createClient({ baseUrl: countersign.url, apiKey: countersign.agentKey });
    const { refunded, refundPayment } = paymentProvider();
    const refund = { orderId: "A-2001", amount: 240, currency: "EUR" };
    const agent = refundAgent({
      client,
      jwks: countersign.jwks,
      model: fakeSupportModel(refund, "call_manual"),
      refundPayment,
      checkpointer: new MemorySaver(),
    });
    const config = { configurable: { thread_id: `support-${randomUUID()}` } };
    const paused = await agent.invoke(
      { messages: [{ role: "user", content: "Refund A-2001, please." }] },
      config,
    );
    const [request] = approvalRequests(paused);
    printCard(log, request!, countersign);
    log('   (or reject: -d \'{"decision":"reject","reason":"…"}\') — waiting for your decision…');
    const done = await agent.invoke(await waitForDecision(paused, { client }), config);
    log(`   agent: ${done.messages.at(-1)!.text}`);
    log(`Refunded: ${refunded.map((entry) => `${entry.orderId} ${entry.amount}`).join(", ") || "nothing"}`);
  } finally {
    await countersign.close();
  }
}
