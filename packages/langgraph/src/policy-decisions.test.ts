import { type CountersignClient, createClient } from "@countersign/core";
import { startTestServer, type TestServer } from "@countersign/core/testing";
import { MemorySaver } from "@langchain/langgraph";
import { createAgent } from "langchain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { approvalRequests } from "./approval-requests.ts";
import {
  refundTool,
  scriptedModel,
  textOf,
  threadConfig,
  toolCallId,
  toolMessagesSeen,
} from "./test-support/refund-fixture.ts";
import { withApproval } from "./with-approval.ts";

let server: TestServer;
let client: CountersignClient;
beforeAll(async () => {
  server = await startTestServer({
    policy: {
      evaluate(request) {
        const amount = Number(request.action.data?.amount ?? 0);
        if (amount <= 50) return { outcome: "auto_approve", rule: "small-refunds", version: "1" };
        if (amount > 1000) {
          return {
            outcome: "deny",
            rule: "refund-cap",
            version: "1",
            reason: "Refunds over 1000 are not allowed",
          };
        }
        return null;
      },
    },
  });
  client = createClient({ baseUrl: server.url, apiKey: server.agentKey });
});
afterAll(async () => {
  await server.close();
});

async function runRefund(amount: number) {
  const { refund, runs } = refundTool();
  const gated = withApproval(refund, { client, agentId: "support-agent", verify: { keys: server.jwks } });
  const model = scriptedModel([
    { name: "refund_payment", args: { orderId: "P-1", amount, currency: "EUR" }, id: toolCallId() },
  ]);
  const agent = createAgent({ model, tools: [gated], checkpointer: new MemorySaver() });
  const result = await agent.invoke({ messages: [{ role: "user", content: "refund P-1" }] }, threadConfig());
  return { result, runs, model };
}

describe("decisions the server's policy makes when the pause opens", () => {
  it("runs an auto-approved call at once, without pausing the graph, exactly once", async () => {
    const { result, runs, model } = await runRefund(20);

    expect(approvalRequests(result)).toEqual([]);
    expect(runs).toEqual([{ orderId: "P-1", amount: 20, currency: "EUR" }]);
    expect(toolMessagesSeen(model).map(textOf)).toEqual(["Refunded 20 EUR for order P-1"]);
  });

  it("refuses a denied call at once and shows the model the policy's reason", async () => {
    const { result, runs, model } = await runRefund(5000);

    expect(approvalRequests(result)).toEqual([]);
    expect(runs).toEqual([]);
    const [seen] = toolMessagesSeen(model);
    expect(seen?.status).toBe("error");
    expect(textOf(seen)).toContain("The approval policy (rule refund-cap) denied");
    expect(textOf(seen)).toContain("Refunds over 1000 are not allowed");
    expect(textOf(seen)).toContain("NOT performed");
  });
});
