import { createClient, isCountersignError } from "@countersign/core";
import { MemorySaver } from "@langchain/langgraph";
import { createAgent } from "langchain";
import { afterEach, beforeEach, expect, it } from "vitest";
import { approvalRequests } from "./approval-requests.ts";
import { countersignMiddleware } from "./countersign-middleware.ts";
import {
  refundTool,
  scriptedModel,
  threadConfig,
  toolCallId,
  toolMessagesSeen,
} from "./test-support/refund-fixture.ts";
import { type RestartableServer, startRestartableServer } from "./test-support/restartable-server.ts";
import { waitForDecision } from "./wait-for-decision.ts";
import { withApproval } from "./with-approval.ts";

// Issue 18, item 2: a transient outage at resume must leave the approval resumable.

let server: RestartableServer;
beforeEach(async () => {
  server = await startRestartableServer();
});
afterEach(async () => {
  await server.close();
});

it("server down between decision and resume: the error reaches the application, and the same resume runs the tool once when it is back", async () => {
  const client = createClient({ baseUrl: server.url, apiKey: server.agentKey, timeoutMs: 2_000 });
  const { refund, runs } = refundTool();
  const gated = withApproval(refund, { client, agentId: "support-agent", verify: { keys: server.jwks } });
  const model = scriptedModel([
    { name: "refund_payment", args: { orderId: "A-1001", amount: 40, currency: "EUR" }, id: toolCallId() },
  ]);
  const agent = createAgent({
    model,
    tools: [gated],
    middleware: [countersignMiddleware()],
    checkpointer: new MemorySaver(),
  });
  const config = threadConfig();
  const paused = await agent.invoke({ messages: [{ role: "user", content: "Refund A-1001" }] }, config);
  const [request] = approvalRequests(paused);
  await server.approve(request!.pauseId);
  const resume = await waitForDecision(paused, { client });

  await server.stop();
  const failure = await agent.invoke(resume, config).then(
    () => null,
    (error: unknown) => error,
  );
  expect(isCountersignError(failure)).toBe(true);
  expect(runs).toEqual([]);
  // Still waiting at the same interrupt: nothing was consumed.
  expect(approvalRequests(await agent.getState(config)).map((pending) => pending.pauseId)).toEqual([
    request!.pauseId,
  ]);

  await server.start();
  await agent.invoke(resume, config);
  expect(runs).toEqual([{ orderId: "A-1001", amount: 40, currency: "EUR" }]);
  expect(toolMessagesSeen(model).map((message) => message.text)).toEqual([
    "Refunded 40 EUR for order A-1001",
  ]);

  await agent.invoke(resume, config);
  expect(runs).toHaveLength(1);
});
