import { type CountersignClient, createClient } from "@countersign/core";
import { startTestServer, type TestServer } from "@countersign/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { resolveApprovals } from "./resolve-approvals.ts";
import {
  approvalIdsIn,
  pendingPauseFor,
  type RefundInput,
  refundCall,
  refundTools,
  userAsksForRefund,
} from "./test-support/refund-fixture.ts";
import { SDK_VERSIONS, type SdkUnderTest } from "./test-support/sdk-versions.ts";
import { toolApprovalFor } from "./tool-approval.ts";
import { withApproval } from "./with-approval.ts";

let server: TestServer;
let client: CountersignClient;

beforeAll(async () => {
  server = await startTestServer();
  client = createClient({ baseUrl: server.url, apiKey: server.agentKey });
});
afterAll(async () => {
  await server.close();
});

async function pausesOf(agentId: string) {
  return (await server.server.service.listPauses({ agentId, limit: 100 })).items;
}

const onlyLargeRefunds = { when: (input: RefundInput) => input.amountCents > 5_000 };

it("refuses a tool without execute: there would be nothing to gate", () => {
  const clientSideTool = { description: "asks the user", inputSchema: z.object({}) };
  expect(() => withApproval(clientSideTool, { client, agentId: "a", verify: {} })).toThrow(TypeError);
});

describe.each(SDK_VERSIONS)("withApproval on $name", (sdk: SdkUnderTest) => {
  it("runs a call the `when` policy lets through at once, without a pause", async () => {
    const agentId = `small-refunds-${sdk.major}`;
    const { tools, runs } = refundTools(sdk, { client, server }, { agentId, ...onlyLargeRefunds });
    const model = sdk.model([refundCall({ orderId: "7", amountCents: 900 })]);

    const turn = await sdk.run("generateText", { model, tools, messages: userAsksForRefund });
    const followUp = await sdk.run("generateText", {
      model,
      tools,
      messages: [...userAsksForRefund, ...turn.responseMessages],
    });

    expect(runs).toEqual([{ orderId: "7", amountCents: 900 }]);
    expect(approvalIdsIn(turn.content)).toEqual([]);
    expect(followUp.text).toContain("issue_refund result:");
    expect(await pausesOf(agentId)).toEqual([]);
  });

  it("stops a call the `when` policy flags for a human", async () => {
    const agentId = `large-refunds-${sdk.major}`;
    const { tools, runs } = refundTools(sdk, { client, server }, { agentId, ...onlyLargeRefunds });
    const model = sdk.model([refundCall({ orderId: "8", amountCents: 50_000 })]);

    const turn = await sdk.run("generateText", { model, tools, messages: userAsksForRefund });

    expect(runs).toEqual([]);
    expect(approvalIdsIn(turn.content)).toHaveLength(1);
  });

  it("keeps the gate when the tool object is copied", async () => {
    const { tools, runs } = refundTools(sdk, { client, server });
    const copied = { issue_refund: { ...tools.issue_refund, description: "Refund (copied)" } };
    const model = sdk.model([refundCall()]);
    const first = await sdk.run("generateText", { model, tools: copied, messages: userAsksForRefund });
    const approvalMessage = resolveApprovals(first, { tools: copied });
    await server.reject(
      (await pendingPauseFor(server, approvalIdsIn(first.content)[0] as string)).pause_id,
      "No",
    );

    expect((await approvalMessage).content).toMatchObject([{ approved: false, reason: "No" }]);
    expect(runs).toEqual([]);
  });
});

describe("toolApprovalFor on ai@7", () => {
  const sdk = SDK_VERSIONS.find((candidate) => candidate.major === 7) as SdkUnderTest;

  it("builds the call-level toolApproval policy, with the approver's title as the request reason", async () => {
    const { tools, runs } = refundTools(sdk, { client, server }, onlyLargeRefunds);
    const model = sdk.model([
      refundCall({ orderId: "9", amountCents: 50_000 }),
      refundCall({ orderId: "10", amountCents: 100 }, "call-2"),
    ]);

    const turn = await sdk.run("generateText", {
      model,
      tools,
      toolApproval: toolApprovalFor(tools),
      messages: userAsksForRefund,
    });

    const requests = turn.content.filter((part: { type: string }) => part.type === "tool-approval-request");
    expect(requests).toMatchObject([
      { toolCall: { toolCallId: "call-1" }, reason: "Refund 50000 cents on order 9" },
    ]);
    expect(runs).toEqual([{ orderId: "10", amountCents: 100 }]);
  });

  it("does not let an automatic toolApproval approval stand in for a human", async () => {
    const { tools, runs } = refundTools(sdk, { client, server });
    const model = sdk.model([refundCall()]);

    const first = await sdk.run("generateText", {
      model,
      tools,
      toolApproval: { issue_refund: "approved" },
      messages: userAsksForRefund,
    });
    const followUp = await sdk.run("generateText", {
      model,
      tools,
      messages: [...userAsksForRefund, ...first.responseMessages],
    });

    expect(runs).toEqual([]);
    expect(followUp.text).toMatch(
      /^issue_refund error: (CountersignError: )?Tool call call-1 needs a Countersign approval/,
    );
  });
});
