import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { verifyWebhook } from "@countersign/core";
import { AIMessage } from "@langchain/core/messages";
import { fakeModel } from "@langchain/core/testing";
import { MemorySaver } from "@langchain/langgraph";
import { createAgent } from "langchain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { approvalRequests } from "./approval-requests.ts";
import {
  type Countersign,
  refundTool,
  scriptedModel,
  startCountersign,
  textOf,
  threadConfig,
  toolCallId,
  toolMessagesSeen,
} from "./test-support/refund-fixture.ts";
import { resumeForDecision } from "./wait-for-decision.ts";
import { withApproval } from "./with-approval.ts";

let countersign: Countersign;
beforeAll(async () => {
  countersign = await startCountersign();
});
afterAll(async () => {
  await countersign.server.close();
});

/**
 * One "process": its own tool, model and agent; only the checkpointer's
 * storage is shared. The resuming process's model is only asked after the
 * tool, and it is configured without a webhook URL: its options differ from
 * the process that opened the pause, which must not matter.
 */
function agentProcess(checkpointer: MemorySaver, role: "starter" | "resumer", webhookUrl?: string) {
  const { refund, runs } = refundTool();
  const gated = withApproval(refund, {
    client: countersign.client,
    agentId: "support-agent",
    verify: countersign.verify,
    ...(webhookUrl ? { webhookUrl } : {}),
  });
  const model =
    role === "starter"
      ? scriptedModel([
          { name: "refund_payment", args: { orderId: "W-7", amount: 70, currency: "EUR" }, id: toolCallId() },
        ])
      : fakeModel().respond(new AIMessage("done"));
  const agent = createAgent({ model, tools: [gated], checkpointer });
  return { agent, model, runs };
}

/** A webhook endpoint that resumes the graph, as a separate service would. */
async function webhookReceiver(resume: (body: string, headers: Record<string, string>) => Promise<void>) {
  const received: Promise<void>[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const headers = Object.fromEntries(
        Object.entries(request.headers).map(([name, value]) => [name, String(value)]),
      );
      const handled = resume(Buffer.concat(chunks).toString("utf8"), headers);
      received.push(handled);
      handled.then(
        () => response.writeHead(204).end(),
        () => response.writeHead(500).end(),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/countersign`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe("resuming from a webhook in another process", () => {
  it("resumes the thread from the pause.decided webhook, runs the tool once, and ignores a redelivery", async () => {
    const checkpointer = new MemorySaver();
    const resumer = agentProcess(checkpointer, "resumer");
    let resumedCount = 0;
    let decidedEvent: { body: string; headers: Record<string, string> } | undefined;
    const receiver = await webhookReceiver(async (body, headers) => {
      decidedEvent = { body, headers };
      const event = await verifyWebhook(body, headers, countersign.server.webhookSecret);
      const resume = await resumeForDecision(resumer.agent.graph, event.data);
      if (!resume) return;
      resumedCount++;
      await resumer.agent.invoke(resume.command, resume.config);
    });
    try {
      const starter = agentProcess(checkpointer, "starter", receiver.url);
      const config = threadConfig();
      const paused = await starter.agent.invoke(
        { messages: [{ role: "user", content: "refund W-7" }] },
        config,
      );
      const [request] = approvalRequests(paused);

      await countersign.server.approve(request!.pauseId);
      await waitFor(() => receiver.received.length > 0);
      await Promise.all(receiver.received);

      expect(resumedCount).toBe(1);
      expect(starter.runs).toEqual([]);
      expect(resumer.runs).toEqual([{ orderId: "W-7", amount: 70, currency: "EUR" }]);
      const state = await resumer.agent.graph.getState(config);
      expect(state.values.messages.map(textOf)).toContain("Refunded 70 EUR for order W-7");

      // At-least-once delivery: the same webhook again finds nothing left to resume.
      const again = await verifyWebhook(
        decidedEvent!.body,
        decidedEvent!.headers,
        countersign.server.webhookSecret,
      );
      expect(await resumeForDecision(resumer.agent.graph, again.data)).toBeNull();
      expect(resumer.runs).toHaveLength(1);
      expect(toolMessagesSeen(resumer.model).map(textOf)).toEqual(["Refunded 70 EUR for order W-7"]);
    } finally {
      await receiver.close();
    }
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
