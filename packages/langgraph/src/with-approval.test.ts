import { Command, MemorySaver } from "@langchain/langgraph";
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
import { resumeCommand, waitForDecision } from "./wait-for-decision.ts";
import { withApproval } from "./with-approval.ts";

let countersign: Countersign;
beforeAll(async () => {
  countersign = await startCountersign();
});
afterAll(async () => {
  await countersign.server.close();
});

const refundCall = (args = { orderId: "A-1001", amount: 40, currency: "EUR" }) => ({
  name: "refund_payment",
  args,
  id: toolCallId(),
});

function refundAgent(calls = [refundCall()]) {
  const { refund, runs } = refundTool();
  const gated = withApproval(refund, {
    client: countersign.client,
    agentId: "support-agent",
    verify: countersign.verify,
    title: (args) => `Refund ${args.amount} ${args.currency} on order ${args.orderId}`,
    risk: "high",
  });
  const model = scriptedModel(calls);
  const agent = createAgent({ model, tools: [gated], checkpointer: new MemorySaver() });
  return { agent, model, runs, config: threadConfig() };
}

const ask = { messages: [{ role: "user", content: "Please refund order A-1001" }] };

describe("withApproval with createAgent", () => {
  it("pauses with a card, then runs the tool exactly once after approval and shows the model its result", async () => {
    const { agent, model, runs, config } = refundAgent();
    const paused = await agent.invoke(ask, config);

    const [request] = approvalRequests(paused);
    expect(request?.card.title).toBe("Refund 40 EUR on order A-1001");
    expect(request?.card.risk).toBe("high");
    expect(request?.card.url).toContain(request?.pauseId);
    expect(runs).toEqual([]);

    await countersign.server.approve(request!.pauseId, { reason: "customer is right" });
    const done = await agent.invoke(await waitForDecision(paused, { client: countersign.client }), config);

    expect(runs).toEqual([{ orderId: "A-1001", amount: 40, currency: "EUR" }]);
    expect(toolMessagesSeen(model).map(textOf)).toEqual(["Refunded 40 EUR for order A-1001"]);
    expect(done.messages.at(-1)?.text).toBe("done");
    const [pause] = await countersign.pausesOf(config);
    expect(pause?.claimed_at).not.toBeNull();
  });

  it("does not run a rejected tool and shows the model the reviewer's reason as a final outcome", async () => {
    const { agent, model, runs, config } = refundAgent();
    const paused = await agent.invoke(ask, config);
    const [request] = approvalRequests(paused);

    await countersign.server.reject(request!.pauseId, "Order was already refunded by bank transfer");
    await agent.invoke(await waitForDecision(paused, { client: countersign.client }), config);

    expect(runs).toEqual([]);
    const [seen] = toolMessagesSeen(model);
    expect(seen?.status).toBe("error");
    expect(textOf(seen)).toContain("A human reviewer (alice@example.com) rejected");
    expect(textOf(seen)).toContain("Order was already refunded by bank transfer");
    expect(textOf(seen)).toContain("NOT performed");
    expect(textOf(seen)).toContain("Do not call this tool again");
  });

  it("runs the tool with the arguments the approver edited", async () => {
    const { agent, model, runs, config } = refundAgent();
    const paused = await agent.invoke(ask, config);
    const [request] = approvalRequests(paused);

    await countersign.server.approve(request!.pauseId, {
      data: { orderId: "A-1001", amount: 25, currency: "EUR" },
    });
    await agent.invoke(await waitForDecision(paused, { client: countersign.client }), config);

    expect(runs).toEqual([{ orderId: "A-1001", amount: 25, currency: "EUR" }]);
    expect(toolMessagesSeen(model).map(textOf)).toEqual(["Refunded 25 EUR for order A-1001"]);
  });

  it("runs the tool once when the same resume is sent twice at the same time", async () => {
    const { agent, runs, config } = refundAgent();
    const paused = await agent.invoke(ask, config);
    const [request] = approvalRequests(paused);
    await countersign.server.approve(request!.pauseId);
    const command = await waitForDecision(paused, { client: countersign.client });

    const results = await Promise.all([agent.invoke(command, config), agent.invoke(command, config)]);

    expect(runs).toHaveLength(1);
    const outcomes = results.map(
      (result) => result.messages.find((message) => message.type === "tool")?.text,
    );
    expect(outcomes).toContain("Refunded 40 EUR for order A-1001");
  });

  it("opens one pause per tool call: a resume before the decision re-runs the node and pauses again", async () => {
    const { agent, runs, config } = refundAgent();
    const paused = await agent.invoke(ask, config);
    const [request] = approvalRequests(paused);

    // An `approve` without a proof (e.g. from a generic LangGraph UI) is no approval: the server is asked.
    const again = await agent.invoke(
      new Command({ resume: { [request!.interruptId]: { type: "approve" } } }),
      config,
    );

    expect(runs).toEqual([]);
    expect(approvalRequests(again).map((next) => next.pauseId)).toEqual([request!.pauseId]);
    expect(await countersign.pausesOf(config)).toHaveLength(1);

    await countersign.server.approve(request!.pauseId);
    await agent.invoke(await waitForDecision(again, { client: countersign.client }), config);
    expect(runs).toHaveLength(1);
  });

  it("resumes several gated calls of one step by interrupt id", async () => {
    const { agent, model, runs, config } = refundAgent([
      refundCall({ orderId: "A-1", amount: 10, currency: "EUR" }),
      refundCall({ orderId: "B-2", amount: 900, currency: "EUR" }),
    ]);
    const paused = await agent.invoke(ask, config);
    const requests = approvalRequests(paused);
    expect(requests).toHaveLength(2);
    const byOrder = (orderId: string) =>
      requests.find((request) => request.action.data?.orderId === orderId)!;

    await countersign.server.approve(byOrder("A-1").pauseId);
    await countersign.server.reject(byOrder("B-2").pauseId, "Too large for a goodwill refund");
    await agent.invoke(await waitForDecision(paused, { client: countersign.client }), config);

    expect(runs).toEqual([{ orderId: "A-1", amount: 10, currency: "EUR" }]);
    const seen = toolMessagesSeen(model).map(textOf);
    expect(seen).toHaveLength(2);
    expect(seen).toContain("Refunded 10 EUR for order A-1");
    expect(seen.find((text) => text.includes("Too large for a goodwill refund"))).toContain("NOT performed");
  });

  it("resumes gated calls of one step one at a time: a finished call keeps its result", async () => {
    const { agent, model, runs, config } = refundAgent([
      refundCall({ orderId: "A-1", amount: 10, currency: "EUR" }),
      refundCall({ orderId: "B-2", amount: 900, currency: "EUR" }),
    ]);
    const paused = await agent.invoke(ask, config);
    const requests = approvalRequests(paused);
    const first = requests.find((request) => request.action.data?.orderId === "A-1")!;
    const second = requests.find((request) => request.action.data?.orderId === "B-2")!;

    const approved = await countersign.server.approve(first.pauseId);
    const halfway = await agent.invoke(
      resumeCommand([{ interruptId: first.interruptId, pause: approved }]),
      config,
    );

    expect(runs.map((args) => args.orderId)).toEqual(["A-1"]);
    expect(approvalRequests(halfway).map((request) => request.pauseId)).toEqual([second.pauseId]);

    await countersign.server.reject(second.pauseId, "Too large");
    await agent.invoke(await waitForDecision(halfway, { client: countersign.client }), config);

    expect(runs.map((args) => args.orderId)).toEqual(["A-1"]);
    const seen = toolMessagesSeen(model).map(textOf);
    expect(seen).toContain("Refunded 10 EUR for order A-1");
    expect(seen.find((text) => text.includes('"Too large"'))).toContain("NOT performed");
  });

  it("still runs the approved call when the title template changed between pause and resume", async () => {
    const { refund, runs } = refundTool();
    const model = scriptedModel([refundCall()]);
    const checkpointer = new MemorySaver();
    const config = threadConfig();
    const before = withApproval(refund, {
      client: countersign.client,
      agentId: "support-agent",
      verify: countersign.verify,
      title: "Refund",
    });
    const paused = await createAgent({ model, tools: [before], checkpointer }).invoke(ask, config);
    await countersign.server.approve(approvalRequests(paused)[0]!.pauseId);

    const after = withApproval(refund, {
      client: countersign.client,
      agentId: "support-agent",
      verify: countersign.verify,
      title: "Refund v2",
    });
    await createAgent({ model, tools: [after], checkpointer }).invoke(
      await waitForDecision(paused, { client: countersign.client }),
      config,
    );

    expect(runs).toHaveLength(1);
    expect(await countersign.pausesOf(config)).toHaveLength(1);
  });

  it("runs calls that `when` exempts without opening a pause", async () => {
    const { refund, runs } = refundTool();
    const gated = withApproval(refund, {
      client: countersign.client,
      agentId: "support-agent",
      verify: countersign.verify,
      when: (args) => args.amount > 100,
    });
    const model = scriptedModel([refundCall({ orderId: "S-5", amount: 5, currency: "EUR" })]);
    const agent = createAgent({ model, tools: [gated], checkpointer: new MemorySaver() });
    const config = threadConfig();

    const result = await agent.invoke(ask, config);

    expect(approvalRequests(result)).toEqual([]);
    expect(runs).toEqual([{ orderId: "S-5", amount: 5, currency: "EUR" }]);
    expect(await countersign.pausesOf(config)).toEqual([]);
  });

  it("keeps the tool's name, description and schema", () => {
    const { refund } = refundTool();
    const gated = withApproval(refund, {
      client: countersign.client,
      agentId: "support-agent",
      verify: countersign.verify,
    });
    expect(gated.name).toBe(refund.name);
    expect(gated.description).toBe(refund.description);
    expect(gated.schema).toBe(refund.schema);
  });
});
