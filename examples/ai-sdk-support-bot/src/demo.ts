import { resolveApprovals } from "@countersign/ai-sdk";
import { type ActionData, type CountersignClient, createClient, type Pause } from "@countersign/core";
import { generateText, type ModelMessage, streamText } from "ai";
import { startApprovalServer } from "./approval-server.ts";
import { fakeSupportModel } from "./fake-model.ts";
import { type Refund, supportTools } from "./support-tools.ts";

type Decision = { decision: "approve" | "reject"; reason?: string; data?: ActionData };

/** Plays alice in the inbox (or Slack): waits for the bot's next request and decides it. */
async function aliceDecides(alice: CountersignClient, decide: (pause: Pause) => Decision): Promise<Pause> {
  for (;;) {
    const [pause] = (await alice.listPauses({ status: "pending", agent_id: "support-bot", limit: 1 })).data;
    if (pause) return alice.decide(pause.pause_id, decide(pause));
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export async function runDemo(print: (line: string) => void = () => {}) {
  const server = await startApprovalServer();
  const client = createClient({ baseUrl: server.url, apiKey: server.agentKey });
  const alice = createClient({ baseUrl: server.url, apiKey: server.approverKey });
  const refunds: Refund[] = [];
  const tools = supportTools({ client, verify: { keys: server.jwks } }, refunds);
  const answers: Record<string, string> = {};

  /** One customer request, end to end: the model asks, alice decides if needed, the model answers. */
  async function handle(refund: Refund, decide: (pause: Pause) => Decision, stream = false) {
    const model = fakeSupportModel(refund);
    const run = async (messages: ModelMessage[]) => {
      if (!stream) {
        const result = await generateText({ model, tools, messages });
        return { content: result.content, responseMessages: result.response.messages, text: result.text };
      }
      const result = streamText({ model, tools, messages });
      return {
        content: await result.content,
        responseMessages: (await result.response).messages,
        text: await result.text,
      };
    };
    const messages: ModelMessage[] = [{ role: "user", content: `Please refund order ${refund.orderId}.` }];
    const first = await run(messages);
    messages.push(...first.responseMessages);
    if (first.content.some((part) => part.type === "tool-approval-request")) {
      print(`   asked for approval; refunds issued so far: ${refunds.length}`);
      const [approvals, decided] = await Promise.all([
        resolveApprovals(first, { tools }),
        aliceDecides(alice, decide),
      ]);
      print(`   alice ${decided.status} "${decided.action.title}" (${decided.pause_id})`);
      messages.push(approvals);
    }
    const resumedWith = [...messages];
    const answer = await run(messages);
    return { text: answer.text, resumedWith, model };
  }

  try {
    print("1. A $120 refund waits for a human, who approves it.");
    const approved = await handle({ orderId: "1001", amountUsd: 120, reason: "Arrived broken" }, () => ({
      decision: "approve",
      reason: "Photo of the damage checks out",
    }));
    answers.approved = approved.text;
    print(`   bot: ${approved.text}`);

    print("2. The human rejects a refund with a reason; the bot (streaming) tells the customer.");
    const rejected = await handle(
      { orderId: "1002", amountUsd: 640, reason: "Changed my mind" },
      () => ({ decision: "reject", reason: "Outside the 30-day return window" }),
      true,
    );
    answers.rejected = rejected.text;
    print(`   bot: ${rejected.text}`);

    print("3. The human approves a smaller amount; the refund runs with the edited arguments.");
    const edited = await handle(
      { orderId: "1003", amountUsd: 300, reason: "One of three items missing" },
      (pause) => ({
        decision: "approve",
        reason: "Only one item was missing",
        data: { ...pause.action.data, amountUsd: 100 },
      }),
    );
    answers.edited = edited.text;
    print(`   bot: ${edited.text}`);

    print("4. A $20 refund is under the $50 threshold and runs at once.");
    const small = await handle({ orderId: "1004", amountUsd: 20, reason: "Late delivery" }, () => {
      throw new Error("a $20 refund should not reach a human");
    });
    answers.small = small.text;
    print(`   bot: ${small.text}`);

    print("5. The approved conversation from 1. is sent again (a retry, a double click): no second refund.");
    const replay = await generateText({ model: approved.model, tools, messages: approved.resumedWith });
    answers.replayed = replay.text;
    print(`   bot: ${replay.text}`);

    print(`Refunded: ${refunds.map((refund) => `order ${refund.orderId} $${refund.amountUsd}`).join(", ")}`);
    return { refunds, answers };
  } finally {
    await server.close();
  }
}
