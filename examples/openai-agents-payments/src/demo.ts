import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createClient, verifyWebhook } from "@countersign/core";
import { requestApprovals, resumeWithApprovals } from "@countersign/openai-agents";
import { RunState, run } from "@openai/agents";
import { startApprovalServer } from "./approval-server.ts";
import {
  askToPay,
  type Payment,
  paymentRail,
  paymentsAgent,
  reportToolResult,
  scriptedModel,
} from "./payments-agent.ts";

export interface DemoResult {
  /** What the payment rail actually sent, in order. */
  sent: Payment[];
  /** What the agent answered in each scene. */
  answers: Record<string, string>;
}

/** Four scenes against a real, local Countersign server; `log` narrates. */
export async function runDemo(log: (line: string) => void = () => {}): Promise<DemoResult> {
  const countersign = await startApprovalServer();
  const human = createClient({ baseUrl: countersign.url, apiKey: countersign.approverKey });
  const { sent, payInvoice } = paymentRail();
  const answers: Record<string, string> = {};
  const build = (model: ReturnType<typeof scriptedModel>, webhookUrl?: string) =>
    paymentsAgent({
      url: countersign.url,
      agentKey: countersign.agentKey,
      jwks: countersign.jwks,
      model,
      payInvoice,
      webhookUrl,
    });

  try {
    log("1. A large payment waits for a human, who approves it.");
    {
      const agent = build(scriptedModel(askToPay(acme, "call_acme"), reportToolResult()));
      const stopped = await run(agent, "Pay the Acme invoice.");
      const [opened] = await requestApprovals(stopped);
      log(`   pause ${opened!.pause.pause_id} is ${opened!.pause.status}; nothing sent yet (${sent.length})`);
      setTimeout(() => void human.decide(opened!.pause.pause_id, { decision: "approve" }), 50);
      const resumed = await resumeWithApprovals(agent, stopped); // waits, verifies the proof, claims, runs
      answers.approved = String(resumed.finalOutput);
      log(`   agent: ${answers.approved}`);
    }

    log("2. The human rejects a payment with a reason; the model reads it.");
    {
      const agent = build(scriptedModel(askToPay(globex, "call_globex"), reportToolResult()));
      const stopped = await run(agent, "Pay the Globex invoice.");
      const [opened] = await requestApprovals(stopped);
      await human.decide(opened!.pause.pause_id, {
        decision: "reject",
        reason: "Duplicate of invoice INV-88",
      });
      const resumed = await resumeWithApprovals(agent, stopped);
      answers.rejected = String(resumed.finalOutput);
      log(`   agent: ${answers.rejected}`);
    }

    log("3. A small payment is under the policy's threshold and runs at once.");
    {
      const agent = build(scriptedModel(askToPay(initech, "call_initech"), reportToolResult()));
      const result = await run(agent, "Pay the Initech invoice.");
      answers.small = String(result.finalOutput);
      log(`   agent: ${answers.small}`);
    }

    log("4. The run stops in one process; the decision webhook resumes it in another, with edits.");
    {
      const snapshots = new Map<string, string>(); // your database
      // The webhook process: verify the delivery, build the agent as the first process did, resume.
      const resumeFromSnapshot = async (pauseId: string) => {
        const agent = build(scriptedModel(reportToolResult()), webhookUrl);
        const state = await RunState.fromString(agent, snapshots.get(pauseId)!);
        const resumed = await resumeWithApprovals(agent, state);
        return String(resumed.finalOutput);
      };
      const delivered = Promise.withResolvers<string>();
      const receiver = await listenForWebhooks(async (body, headers) => {
        try {
          const event = await verifyWebhook(body, headers, countersign.webhookSecret);
          delivered.resolve(await resumeFromSnapshot(event.data.pause.pause_id));
        } catch (error) {
          delivered.reject(error);
        }
      });
      const webhookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/countersign`;
      try {
        // The agent process: run until the approval, open the pause, save the state, and stop.
        const stopped = await run(
          build(scriptedModel(askToPay(umbrella, "call_umbrella")), webhookUrl),
          "Pay Umbrella.",
        );
        const [opened] = await requestApprovals(stopped);
        snapshots.set(opened!.pause.pause_id, stopped.state.toString());
        log(
          `   saved the run (${snapshots.get(opened!.pause.pause_id)!.length} bytes); the agent process can exit`,
        );

        await human.decide(opened!.pause.pause_id, {
          decision: "approve",
          data: { ...umbrella, amount: 20_000 },
        });
        answers.webhook = await delivered.promise;
        log(`   agent, resumed from the webhook: ${answers.webhook}`);

        // Webhooks are at-least-once: the same snapshot may be resumed again. The payment is not sent twice.
        answers.redelivered = await resumeFromSnapshot(opened!.pause.pause_id);
        log(`   agent, resumed a second time: ${answers.redelivered}`);
      } finally {
        await new Promise((resolve) => receiver.close(resolve));
      }
    }
  } finally {
    await countersign.close();
  }
  log(`Sent: ${sent.map((payment) => `${payment.payee} ${payment.amount}`).join(", ")}`);
  return { sent, answers };
}

const acme = { payee: "Acme Corp", amount: 12_450, currency: "USD" };
const globex = { payee: "Globex", amount: 5_000, currency: "USD" };
const initech = { payee: "Initech", amount: 200, currency: "USD" };
const umbrella = { payee: "Umbrella Corp", amount: 25_000, currency: "USD" };

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
