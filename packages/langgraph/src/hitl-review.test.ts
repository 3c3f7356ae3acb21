import { isCountersignError, type Pause } from "@countersign/core";
import { Command, MemorySaver } from "@langchain/langgraph";
import { createAgent, humanInTheLoopMiddleware } from "langchain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { approvalRequests } from "./approval-requests.ts";
import { type HitlRequest, reviewHitlRequest } from "./hitl-review.ts";
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
import { withApproval } from "./with-approval.ts";

let countersign: Countersign;
beforeAll(async () => {
  countersign = await startCountersign();
});
afterAll(async () => {
  await countersign.server.close();
});

const ask = { messages: [{ role: "user", content: "Please refund order A-1001" }] };
const refundArgs = { orderId: "A-1001", amount: 40, currency: "EUR" };

async function pendingPauseOf(config: { configurable: { thread_id: string } }): Promise<Pause> {
  for (let attempt = 0; attempt < 500; attempt++) {
    const pending = (await countersign.pausesOf(config)).find((pause) => pause.status === "pending");
    if (pending) return pending;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error("no pending pause appeared");
}

/** An agent using langchain's own human-in-the-loop middleware, with Countersign as the reviewer. */
async function hitlAgent() {
  const { refund, runs } = refundTool();
  const model = scriptedModel([{ name: "refund_payment", args: refundArgs, id: toolCallId() }]);
  const agent = createAgent({
    model,
    tools: [refund],
    middleware: [
      humanInTheLoopMiddleware({
        interruptOn: { refund_payment: { allowedDecisions: ["approve", "edit", "reject"] } },
      }),
    ],
    checkpointer: new MemorySaver(),
  });
  const config = threadConfig();
  const paused = await agent.invoke(ask, config);
  const pending = paused.__interrupt__?.[0];
  if (!pending?.id) throw new Error("the agent did not pause");
  const reviewOnly = () =>
    reviewHitlRequest(pending.value as HitlRequest, {
      client: countersign.client,
      agentId: "support-agent",
      verify: countersign.verify,
      threadId: config.configurable.thread_id,
      interruptId: pending.id!,
    });
  const review = (decide: (pause: Pause) => Promise<unknown>) =>
    Promise.all([reviewOnly(), pendingPauseOf(config).then(decide)]).then(([response]) => response);
  return { agent, model, runs, config, review, reviewOnly };
}

describe("humanInTheLoopMiddleware with Countersign as the reviewer", () => {
  it("turns an approval into `approve`: the middleware runs the tool once", async () => {
    const { agent, model, runs, config, review } = await hitlAgent();

    let title: string | undefined;
    const response = await review((pause) => {
      title = pause.action.title;
      return countersign.server.approve(pause.pause_id);
    });
    expect(response).toEqual({ decisions: [{ type: "approve" }] });
    await agent.invoke(new Command({ resume: response }), config);

    expect(runs).toEqual([refundArgs]);
    // Not the middleware's generic "Tool execution requires approval".
    expect(title).toBe("Refund payment: orderId A-1001, amount 40, currency EUR");
    expect(toolMessagesSeen(model).map(textOf)).toEqual(["Refunded 40 EUR for order A-1001"]);
  });

  it("turns an approval with edits into `edit` with the signed arguments", async () => {
    const { agent, runs, config, review } = await hitlAgent();

    const response = await review((pause) =>
      countersign.server.approve(pause.pause_id, { data: { ...refundArgs, amount: 15 } }),
    );
    await agent.invoke(new Command({ resume: response }), config);

    expect(runs).toEqual([{ ...refundArgs, amount: 15 }]);
  });

  it("turns a rejection into `reject` whose message carries the reviewer's reason", async () => {
    const { agent, model, runs, config, review } = await hitlAgent();

    const response = await review((pause) =>
      countersign.server.reject(pause.pause_id, "Customer already got store credit"),
    );
    await agent.invoke(new Command({ resume: response }), config);

    expect(runs).toEqual([]);
    const [seen] = toolMessagesSeen(model);
    expect(textOf(seen)).toContain("Customer already got store credit");
    expect(textOf(seen)).toContain("NOT performed");
  });

  it("refuses to hand out the same approval twice", async () => {
    const { review, reviewOnly, config } = await hitlAgent();
    await review((pause) => countersign.server.approve(pause.pause_id));

    const again = await reviewOnly().catch((error: unknown) => error);

    expect(isCountersignError(again, "already_claimed")).toBe(true);
    expect(await countersign.pausesOf(config)).toHaveLength(1);
  });
});

describe("withApproval resumed with the middleware's decision shape", () => {
  it("treats a `reject` as final: the tool does not run, the model reads the message, the pause is cancelled", async () => {
    const { refund, runs } = refundTool();
    const gated = withApproval(refund, {
      client: countersign.client,
      agentId: "support-agent",
      verify: countersign.verify,
    });
    const model = scriptedModel([{ name: "refund_payment", args: refundArgs, id: toolCallId() }]);
    const agent = createAgent({ model, tools: [gated], checkpointer: new MemorySaver() });
    const config = threadConfig();
    const [request] = approvalRequests(await agent.invoke(ask, config));

    const resume = { decisions: [{ type: "reject", message: "Not during the audit freeze" }] };
    await agent.invoke(new Command({ resume: { [request!.interruptId]: resume } }), config);

    expect(runs).toEqual([]);
    expect(textOf(toolMessagesSeen(model)[0])).toContain("Not during the audit freeze");
    expect((await countersign.client.getPause(request!.pauseId)).status).toBe("cancelled");
  });
});
