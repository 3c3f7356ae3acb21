import { isCountersignError, type Pause } from "@countersign/core";
import { AIMessage } from "@langchain/core/messages";
import type { RunnableConfig } from "@langchain/core/runnables";
import { fakeModel } from "@langchain/core/testing";
import { Command, MemorySaver } from "@langchain/langgraph";
import { createAgent, humanInTheLoopMiddleware, type InterruptOnConfig } from "langchain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { approvalRequests } from "./approval-requests.ts";
import { countersignMiddleware } from "./countersign-middleware.ts";
import { type HitlResumeCommand, reviewHitlRequest } from "./hitl-review.ts";
import {
  type Countersign,
  lookupTool,
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
async function hitlAgent(
  interruptOn: InterruptOnConfig = { allowedDecisions: ["approve", "edit", "reject"] },
  { withMiddleware = true } = {},
) {
  const { refund, runs } = refundTool();
  const model = scriptedModel([{ name: "refund_payment", args: refundArgs, id: toolCallId() }]);
  const hitl = humanInTheLoopMiddleware({ interruptOn: { refund_payment: interruptOn } });
  const middleware = withMiddleware
    ? [hitl, countersignMiddleware({ client: countersign.client, verify: countersign.verify })]
    : [hitl];
  const agent = createAgent({ model, tools: [refund], middleware, checkpointer: new MemorySaver() });
  const config = threadConfig();
  const paused = await agent.invoke(ask, config);
  if (!paused.__interrupt__?.[0]) throw new Error("the agent did not pause");
  const reviewOnly = () =>
    reviewHitlRequest(agent.graph, config, {
      client: countersign.client,
      agentId: "support-agent",
      verify: countersign.verify,
    });
  const review = (decide: (pause: Pause) => Promise<unknown>) =>
    Promise.all([reviewOnly(), pendingPauseOf(config).then(decide)]).then(([command]) => command);
  /** Sends `command` again from the checkpoint where the agent waited for the review (time travel). */
  const replay = async (command: HitlResumeCommand) => {
    for await (const snapshot of agent.graph.getStateHistory(config)) {
      if (snapshot.tasks.some((task) => task.interrupts.length > 0)) {
        return agent.invoke(command, snapshot.config as RunnableConfig);
      }
    }
    throw new Error("no checkpoint waits at the review");
  };
  return { agent, model, runs, config, review, reviewOnly, replay };
}

describe("humanInTheLoopMiddleware with Countersign as the reviewer", () => {
  it("turns an approval into `approve`: the tool runs once, and a replay of the same resume does not run it again", async () => {
    const { agent, model, runs, config, review, replay } = await hitlAgent();

    const command = await review((pause) => countersign.server.approve(pause.pause_id));
    expect(Object.values(command.resume ?? {})).toEqual([{ decisions: [{ type: "approve" }] }]);
    await agent.invoke(command, config);
    expect(runs).toEqual([refundArgs]);
    expect(toolMessagesSeen(model).map(textOf)).toEqual(["Refunded 40 EUR for order A-1001"]);

    await replay(command);

    expect(runs).toEqual([refundArgs]);
    expect(textOf(toolMessagesSeen(model)[0])).toContain("already ran once");
    const [pause] = await countersign.pausesOf(config);
    expect(pause?.execution?.outcome).toBe("succeeded");
  });

  it("titles the pause from the tool and its arguments, not the middleware's generic text", async () => {
    const { review, config } = await hitlAgent();

    await review((pause) => countersign.server.approve(pause.pause_id));

    const [pause] = await countersign.pausesOf(config);
    expect(pause?.action.title).toBe("Refund payment: orderId A-1001, amount 40, currency EUR");
    expect(JSON.stringify(pause?.action)).not.toContain("Tool execution requires approval");
    expect(pause?.action.body).toContain("refund_payment");
  });

  it("keeps a custom description from the middleware's config for the approver", async () => {
    const { review, config } = await hitlAgent({
      allowedDecisions: ["approve", "reject"],
      description: "Refunds over the counter need a supervisor",
    });

    await review((pause) => countersign.server.approve(pause.pause_id));

    const [pause] = await countersign.pausesOf(config);
    expect(pause?.action.title).toBe("Refund payment: orderId A-1001, amount 40, currency EUR");
    expect(pause?.action.description).toBe("Refunds over the counter need a supervisor");
  });

  it("turns an approval with edits into `edit` with the signed arguments, run once even when replayed", async () => {
    const { agent, runs, config, review, replay } = await hitlAgent();

    const command = await review((pause) =>
      countersign.server.approve(pause.pause_id, { data: { ...refundArgs, amount: 15 } }),
    );
    await agent.invoke(command, config);
    await replay(command);

    expect(runs).toEqual([{ ...refundArgs, amount: 15 }]);
  });

  it("turns a rejection into `reject` with the reviewer's reason; a replay never runs the tool", async () => {
    const { agent, model, runs, config, review, replay } = await hitlAgent();

    const command = await review((pause) =>
      countersign.server.reject(pause.pause_id, "Customer already got store credit"),
    );
    await agent.invoke(command, config);
    await replay(command);

    expect(runs).toEqual([]);
    const [seen] = toolMessagesSeen(model);
    expect(textOf(seen)).toContain("Customer already got store credit");
    expect(textOf(seen)).toContain("NOT performed");
  });

  it("answers the same interrupt twice with the same pause, and the tool still runs once", async () => {
    const { agent, runs, review, reviewOnly, replay, config } = await hitlAgent();
    const first = await review((pause) => countersign.server.approve(pause.pause_id));
    const second = await reviewOnly();

    await agent.invoke(first, config);
    await replay(second);

    expect(runs).toEqual([refundArgs]);
    expect(await countersign.pausesOf(config)).toHaveLength(1);
  });

  it("does not run a call whose recorded pause was rejected, whatever the decisions say", async () => {
    const { agent, model, runs, config, review } = await hitlAgent();
    const rejected = await review((pause) => countersign.server.reject(pause.pause_id, "No refunds today"));
    const [pause] = await countersign.pausesOf(config);
    const toolCall = approvalTarget(await agent.graph.getState(config));

    // A hand-made resume: the middleware's `approve`, pointing at the rejected pause.
    const [interruptId] = Object.keys(rejected.resume ?? {});
    const forged = new Command({
      resume: { [interruptId!]: { decisions: [{ type: "approve" }] } },
      update: { _countersignHitlPauses: { [toolCall]: pause!.pause_id } },
    });
    await agent.invoke(forged, config);

    expect(runs).toEqual([]);
    expect(textOf(toolMessagesSeen(model)[0])).toContain("No refunds today");
  });

  it("does not take a later call that reuses the tool call id for the approved one", async () => {
    const { refund, runs } = refundTool();
    const { lookup, runs: lookups } = lookupTool();
    const id = toolCallId();
    // Some models and fixtures repeat call ids: the second turn reuses the approved call's id.
    const model = fakeModel()
      .respondWithTools([{ name: "refund_payment", args: refundArgs, id }])
      .respondWithTools([{ name: "lookup_order", args: { orderId: "A-1001" }, id }])
      .respond(new AIMessage("done"));
    const agent = createAgent({
      model,
      tools: [refund, lookup],
      middleware: [
        humanInTheLoopMiddleware({ interruptOn: { refund_payment: true } }),
        countersignMiddleware({ client: countersign.client, verify: countersign.verify }),
      ],
      checkpointer: new MemorySaver(),
    });
    const config = threadConfig();
    await agent.invoke(ask, config);
    const [command] = await Promise.all([
      reviewHitlRequest(agent.graph, config, {
        client: countersign.client,
        agentId: "support-agent",
        verify: countersign.verify,
      }),
      pendingPauseOf(config).then((pause) => countersign.server.approve(pause.pause_id)),
    ]);

    await agent.invoke(command, config);

    expect(runs).toEqual([refundArgs]);
    expect(lookups).toEqual(["A-1001"]);
  });

  it("refuses an agent without countersignMiddleware, before opening any pause", async () => {
    const { reviewOnly, config } = await hitlAgent(undefined, { withMiddleware: false });

    const refused = await reviewOnly().catch((error: unknown) => error);

    expect(isCountersignError(refused, "invalid_request")).toBe(true);
    expect(String((refused as Error).message)).toContain("countersignMiddleware");
    expect(await countersign.pausesOf(config)).toHaveLength(0);
  });
});

function approvalTarget(snapshot: { values: unknown }): string {
  const messages = (snapshot.values as { messages: { tool_calls?: { id?: string }[] }[] }).messages;
  const id = messages.findLast((message) => message.tool_calls?.length)?.tool_calls?.[0]?.id;
  if (!id) throw new Error("no tool call");
  return id;
}

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
