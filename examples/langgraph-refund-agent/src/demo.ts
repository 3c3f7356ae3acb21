import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createClient, verifyWebhook } from "@countersign/core";
import {
  type ApprovalRequest,
  approvalRequests,
  resumeForDecision,
  waitForDecision,
} from "@countersign/langgraph";
import { MemorySaver } from "@langchain/langgraph";
import { type LocalApprovalServer, startApprovalServer } from "./approval-server.ts";
import {
  fakeSupportModel,
  paymentProvider,
  type Refund,
  refundAgent,
  reportingModel,
} from "./refund-agent.ts";

export interface DemoResult {
  /** What the payment provider actually refunded, in order. */
  refunded: Refund[];
  /** What the agent answered in each scene. */
  answers: Record<string, string>;
}

type Log = (line: string) => void;

/** Five scenes against a real, local Countersign server; a scripted human decides; `log` narrates. */
export async function runDemo(log: Log = () => {}): Promise<DemoResult> {
  const countersign = await startApprovalServer();
  const client = createClient({ baseUrl: countersign.url, apiKey: countersign.agentKey });
  const human = createClient({ baseUrl: countersign.url, apiKey: countersign.approverKey });
  const { refunded, refundPayment } = paymentProvider();
  const answers: Record<string, string> = {};
  const checkpointer = new MemorySaver(); // in production: a Postgres or SQLite checkpointer
  const build = (refund: Refund, webhookUrl?: string) =>
    refundAgent({
      client,
      jwks: countersign.jwks,
      model: fakeSupportModel(refund, `call_${randomUUID().slice(0, 8)}`),
      refundPayment,
      checkpointer,
      ...(webhookUrl && { webhookUrl }),
    });
  const ask = (refund: Refund) => ({
    messages: [
      { role: "user", content: `Please refund ${refund.amount} ${refund.currency} on ${refund.orderId}.` },
    ],
  });
  const thread = () => ({ configurable: { thread_id: `support-${randomUUID()}` } });

  try {
    log("1. A 120 EUR refund waits for a human, who approves it.");
    {
      const agent = build(order1001);
      const config = thread();
      const paused = await agent.invoke(ask(order1001), config);
      const [request] = approvalRequests(paused);
      printCard(log, request!, countersign);
      log(`   refunded so far: ${refunded.length}`);
      setTimeout(() => void human.decide(request!.pauseId, { decision: "approve" }), 50);
      const command = await waitForDecision(paused, { client }); // resolves once a human decided
      const done = await agent.invoke(command, config); // verifies the proof, claims, refunds
      answers.approved = done.messages.at(-1)!.text;
      log(`   agent: ${answers.approved}`);
    }

    log("2. The human rejects a refund with a reason; the model reads it.");
    {
      const agent = build(order1002);
      const config = thread();
      const paused = await agent.invoke(ask(order1002), config);
      const [request] = approvalRequests(paused);
      await human.decide(request!.pauseId, { decision: "reject", reason: "Item was never returned" });
      const done = await agent.invoke(await waitForDecision(paused, { client }), config);
      answers.rejected = done.messages.at(-1)!.text;
      log(`   agent: ${answers.rejected}`);
    }

    log("3. A 20 EUR refund is under the threshold (`when`) and runs at once.");
    {
      const done = await build(order1003).invoke(ask(order1003), thread());
      answers.small = done.messages.at(-1)!.text;
      log(`   agent: ${answers.small}`);
    }

    log("4. The human approves only part of a refund: the tool runs with the edited amount.");
    {
      const agent = build(order1004);
      const config = thread();
      const paused = await agent.invoke(ask(order1004), config);
      const [request] = approvalRequests(paused);
      await human.decide(request!.pauseId, { decision: "approve", data: { ...order1004, amount: 150 } });
      const done = await agent.invoke(await waitForDecision(paused, { client }), config);
      answers.edited = done.messages.at(-1)!.text;
      log(`   agent: ${answers.edited}`);
    }

    log("5. The agent process stops at the pause; the decision webhook resumes the thread elsewhere.");
    const webhook = await webhookScene(log, countersign, {
      start: (webhookUrl) => build(order1005, webhookUrl),
      // The webhook process builds the same agent; the checkpointer holds the thread.
      resumer: () =>
        refundAgent({ client, jwks: countersign.jwks, model: reportingModel(), refundPayment, checkpointer }),
      approve: (pauseId) => human.decide(pauseId, { decision: "approve" }).then(() => undefined),
      ask: ask(order1005),
      config: thread(),
    });
    answers.webhook = webhook.answer;
    answers.redelivered = webhook.redelivered;
  } finally {
    await countersign.close();
  }
  log(`Refunded: ${refunded.map((refund) => `${refund.orderId} ${refund.amount}`).join(", ")}`);
  return { refunded, answers };
}

/** What to show a human: the card, and where to decide. */
export function printCard(
  log: Log,
  request: ApprovalRequest,
  countersign: { url: string; approverKey: string },
) {
  log(`   ⏸  ${request.card.title} (risk: ${request.card.risk ?? "unset"}, pause ${request.pauseId})`);
  log(`      approve in the inbox: ${request.card.url}`);
  log(
    `      or: curl -X POST ${countersign.url}/v1/pauses/${request.pauseId}/decision ` +
      `-H 'authorization: Bearer ${countersign.approverKey}' -H 'content-type: application/json' ` +
      `-d '{"decision":"approve"}'`,
  );
}

type Agent = ReturnType<typeof refundAgent>;

async function webhookScene(
  log: Log,
  countersign: LocalApprovalServer,
  scene: {
    start: (webhookUrl: string) => Agent;
    resumer: () => Agent;
    approve: (pauseId: string) => Promise<void>;
    ask: { messages: { role: string; content: string }[] };
    config: { configurable: { thread_id: string } };
  },
): Promise<{ answer: string; redelivered: string }> {
  // The webhook handler, as its own service would run it. `null`: nothing was waiting.
  const handle = async (body: string, headers: Record<string, string>): Promise<string | null> => {
    const event = await verifyWebhook(body, headers, countersign.webhookSecret);
    const agent = scene.resumer();
    const resume = await resumeForDecision(agent.graph, event.data); // finds the thread and the interrupt
    if (!resume) return null;
    const done = await agent.invoke(resume.command, resume.config);
    return done.messages.at(-1)!.text;
  };
  const first = Promise.withResolvers<{ answer: string; body: string; headers: Record<string, string> }>();
  const receiver = await listenForWebhooks(async (body, headers) => {
    try {
      const answer = await handle(body, headers);
      if (answer !== null) first.resolve({ answer, body, headers });
    } catch (error) {
      first.reject(error);
    }
  });
  try {
    const webhookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/countersign`;
    const paused = await scene.start(webhookUrl).invoke(scene.ask, scene.config);
    const [request] = approvalRequests(paused);
    log(`   thread ${scene.config.configurable.thread_id} is paused; the agent process can exit`);
    await scene.approve(request!.pauseId);
    const delivered = await first.promise;
    log(`   agent, resumed from the webhook: ${delivered.answer}`);

    // Webhooks are at-least-once: the same delivery again resumes nothing and refunds nothing.
    const again = await handle(delivered.body, delivered.headers);
    const redelivered = again ?? "nothing left to resume";
    log(`   the same webhook delivered again: ${redelivered}`);
    return { answer: delivered.answer, redelivered };
  } finally {
    await new Promise((resolve) => receiver.close(resolve));
  }
}

function listenForWebhooks(
  onDelivery: (body: string, headers: Record<string, string>) => Promise<void>,
): Promise<Server> {
  const receiver = createServer((request, response) => {
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => {
      body += chunk;
    });
    request.on("end", () => {
      // Answer at once; resume after. A slow answer would make the server retry.
      response.writeHead(204).end();
      void onDelivery(body, request.headers as Record<string, string>);
    });
  });
  return new Promise((resolve) => receiver.listen(0, "127.0.0.1", () => resolve(receiver)));
}

const order1001: Refund = { orderId: "A-1001", amount: 120, currency: "EUR" };
const order1002: Refund = { orderId: "A-1002", amount: 89, currency: "EUR" };
const order1003: Refund = { orderId: "A-1003", amount: 20, currency: "EUR" };
const order1004: Refund = { orderId: "A-1004", amount: 300, currency: "EUR" };
const order1005: Refund = { orderId: "A-1005", amount: 75, currency: "EUR" };
