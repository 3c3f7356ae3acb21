import { createClient, isCountersignError } from "@countersign/core";
import { AIMessage } from "@langchain/core/messages";
import type { FakeBuiltModel } from "@langchain/core/testing";
import type { StructuredToolInterface } from "@langchain/core/tools";
import { END, MemorySaver, MessagesAnnotation, Send, START, StateGraph } from "@langchain/langgraph";
import { ToolNode, toolsCondition } from "@langchain/langgraph/prebuilt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { approvalRequests } from "./approval-requests.ts";
import {
  type Countersign,
  lookupTool,
  refundTool,
  type ScriptedCall,
  scriptedModel,
  startCountersign,
  textOf,
  threadConfig,
  toolCallId,
  toolMessagesSeen,
} from "./test-support/refund-fixture.ts";
import { resumeWhenDecided, waitForDecision } from "./wait-for-decision.ts";
import { withApproval } from "./with-approval.ts";

let countersign: Countersign;
beforeAll(async () => {
  countersign = await startCountersign();
});
afterAll(async () => {
  await countersign.server.close();
});

const ask = { messages: [{ role: "user", content: "Please refund order A-1001" }] };
const refundCall = (orderId = "A-1001", amount = 40): ScriptedCall => ({
  name: "refund_payment",
  args: { orderId, amount, currency: "EUR" },
  id: toolCallId(),
});

/** The classic hand-built agent: model node, one ToolNode for the whole batch of tool calls. */
function batchGraph(model: FakeBuiltModel, tools: StructuredToolInterface[], handleToolErrors = true) {
  const bound = model.bindTools(tools);
  return new StateGraph(MessagesAnnotation)
    .addNode("agent", async (state) => ({ messages: [await bound.invoke(state.messages)] }))
    .addNode("tools", new ToolNode(tools, { handleToolErrors }))
    .addEdge(START, "agent")
    .addConditionalEdges("agent", toolsCondition, ["tools", END])
    .addEdge("tools", "agent")
    .compile({ checkpointer: new MemorySaver() });
}

/** The same graph, but each tool call is its own task (`Send`), as `createAgent` does. */
function sendGraph(model: FakeBuiltModel, tools: StructuredToolInterface[]) {
  const bound = model.bindTools(tools);
  return new StateGraph(MessagesAnnotation)
    .addNode("agent", async (state) => ({ messages: [await bound.invoke(state.messages)] }))
    .addNode("tools", new ToolNode(tools))
    .addEdge(START, "agent")
    .addConditionalEdges(
      "agent",
      (state) => {
        const last = state.messages.at(-1);
        const calls = last && AIMessage.isInstance(last) ? (last.tool_calls ?? []) : [];
        if (calls.length === 0) return END;
        return calls.map((call) => new Send("tools", { ...state, lg_tool_call: call }));
      },
      ["tools", END],
    )
    .addEdge("tools", "agent")
    .compile({ checkpointer: new MemorySaver() });
}

function gatedRefund() {
  const { refund, runs } = refundTool();
  const gated = withApproval(refund, {
    client: countersign.client,
    agentId: "support-agent",
    verify: countersign.verify,
  });
  return { gated, runs };
}

describe("withApproval with a hand-built StateGraph and ToolNode", () => {
  it("runs an approved call once and shows the model its result", async () => {
    const { gated, runs } = gatedRefund();
    const model = scriptedModel([refundCall()]);
    const graph = batchGraph(model, [gated]);
    const config = threadConfig();
    const paused = await graph.invoke(ask, config);
    await countersign.server.approve(approvalRequests(paused)[0]!.pauseId);

    await resumeWhenDecided(graph, config, { client: countersign.client });

    expect(runs).toEqual([{ orderId: "A-1001", amount: 40, currency: "EUR" }]);
    expect(toolMessagesSeen(model).map(textOf)).toEqual(["Refunded 40 EUR for order A-1001"]);
  });

  it("does not run a rejected call and shows the model the reason", async () => {
    const { gated, runs } = gatedRefund();
    const model = scriptedModel([refundCall()]);
    const graph = batchGraph(model, [gated]);
    const config = threadConfig();
    const paused = await graph.invoke(ask, config);
    await countersign.server.reject(approvalRequests(paused)[0]!.pauseId, "Duplicate of ticket 4411");

    await resumeWhenDecided(graph, config, { client: countersign.client });

    expect(runs).toEqual([]);
    expect(textOf(toolMessagesSeen(model)[0])).toContain("Duplicate of ticket 4411");
  });

  it("fails the run with a Countersign error when the server is down and tool errors are not handled", async () => {
    const down = await startCountersign();
    await down.server.close();
    const { refund, runs } = refundTool();
    const gated = withApproval(refund, {
      client: createClient({ baseUrl: down.server.url, apiKey: down.server.agentKey, timeoutMs: 2_000 }),
      agentId: "support-agent",
      verify: down.verify,
    });
    const graph = batchGraph(scriptedModel([refundCall()]), [gated], false);

    const failure = await graph.invoke(ask, threadConfig()).catch((error: unknown) => error);

    expect(runs).toEqual([]);
    expect(isCountersignError(failure, "network_error")).toBe(true);
    expect((failure as Error).message).toContain("did not run");
  });

  it("in one batch, runs each of two gated calls at most once, though the ToolNode re-runs the batch", async () => {
    const { gated, runs } = gatedRefund();
    const { lookup, runs: lookups } = lookupTool();
    const model = scriptedModel([
      { name: "lookup_order", args: { orderId: "A-1" }, id: toolCallId() },
      refundCall("A-1", 10),
      refundCall("B-2", 20),
    ]);
    const graph = batchGraph(model, [lookup, gated]);
    const config = threadConfig();

    let state = await graph.invoke(ask, config);
    for (let round = 0; round < 4 && approvalRequests(state).length > 0; round++) {
      for (const request of approvalRequests(state)) {
        const pause = await countersign.client.getPause(request.pauseId);
        if (pause.status === "pending") await countersign.server.approve(request.pauseId);
      }
      state = await graph.invoke(await waitForDecision(state, { client: countersign.client }), config);
    }

    expect(approvalRequests(state)).toEqual([]);
    expect(runs.map((args) => args.orderId).sort()).toEqual(["A-1", "B-2"]);
    // The ungated lookup ran again on every resume: the v1 ToolNode re-runs its whole batch.
    expect(lookups.length).toBeGreaterThan(1);
    expect(await countersign.pausesOf(config)).toHaveLength(2);
  });

  it("resumes several gated calls at once when each tool call is its own task (Send)", async () => {
    const { gated, runs } = gatedRefund();
    const model = scriptedModel([refundCall("A-1", 10), refundCall("B-2", 20)]);
    const graph = sendGraph(model, [gated]);
    const config = threadConfig();
    const paused = await graph.invoke(ask, config);
    const requests = approvalRequests(paused);
    expect(requests).toHaveLength(2);
    for (const request of requests) await countersign.server.approve(request.pauseId);

    await resumeWhenDecided(graph, config, { client: countersign.client });

    expect(runs.map((args) => args.orderId).sort()).toEqual(["A-1", "B-2"]);
    expect(toolMessagesSeen(model).map(textOf).sort()).toEqual([
      "Refunded 10 EUR for order A-1",
      "Refunded 20 EUR for order B-2",
    ]);
  });
});
