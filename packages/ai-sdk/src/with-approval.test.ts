import { approvedCall, type CountersignClient, createClient } from "@countersign/core";
import { startTestServer, type TestServer } from "@countersign/core/testing";
import { generateText, streamText, tool } from "ai";
import { streamText as streamTextV7, tool as toolV7 } from "ai-v7";
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

  it("gates a ToolLoopAgent's tools the same way: approved, the refund runs once", async () => {
    const { tools, runs } = refundTools(sdk, { client, server });
    const agent = sdk.toolLoopAgent({ model: sdk.model([refundCall()]), tools });
    const first = await agent.generate({ messages: userAsksForRefund });
    const approvalMessage = resolveApprovals(first, { tools });
    await server.approve((await pendingPauseFor(server, approvalIdsIn(first.content)[0] as string)).pause_id);

    const history = [...userAsksForRefund, ...sdk.responseMessagesOf(first), await approvalMessage];
    const second = await agent.generate({ messages: history });
    const replay = await agent.generate({ messages: history });

    expect(runs).toEqual([{ orderId: "42", amountCents: 12_000 }]);
    expect(second.text).toContain("issue_refund result:");
    expect(replay.text).toMatch(/^issue_refund error: .*already claimed/);
  });

  it("hands the approval to the tool when a proof-gated service claims it", async () => {
    const seen: { pauseId: string; header: string }[] = [];
    const payOut = sdk.tool({
      description: "Refund through the payments service",
      inputSchema: z.object({ orderId: z.string(), amountCents: z.number().int().positive() }),
      execute: async () => {
        const approval = approvedCall();
        seen.push({ pauseId: approval.pauseId, header: approval.headers["Countersign-Proof"] });
        // The service: claims once, as the executor.
        const executor = createClient({ baseUrl: server.url, apiKey: server.executorKey });
        await executor.claim(approval.pauseId, { proofId: approval.proof.proof_id });
        return "refunded";
      },
    });
    const tools = {
      issue_refund: withApproval(payOut, {
        client,
        agentId: `service-claims-${sdk.major}`,
        verify: { keys: server.jwks },
        claimedBy: "service",
      }),
    };
    const model = sdk.model([refundCall()]);
    const first = await sdk.run("generateText", { model, tools, messages: userAsksForRefund });
    const approvalMessage = resolveApprovals(first, { tools });
    const pause = await pendingPauseFor(server, approvalIdsIn(first.content)[0] as string);
    await server.approve(pause.pause_id);
    const history = [...userAsksForRefund, ...first.responseMessages, await approvalMessage];
    const second = await sdk.run("generateText", { model, tools, messages: history });

    expect(second.text).toContain("issue_refund result:");
    expect(seen).toHaveLength(1);
    expect(seen[0]?.pauseId).toBe(pause.pause_id);
    const claimed = await client.getPause(pause.pause_id);
    expect(claimed.claimed_at).not.toBeNull();
    expect(claimed.execution).toBeNull(); // the service reports the receipt, not the adapter
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

it("takes real ai 6 and 7 tools, and generateText/streamText results as they are", async () => {
  const [v6, v7] = SDK_VERSIONS as [SdkUnderTest, SdkUnderTest];
  const inputSchema = z.object({ orderId: z.string(), amountCents: z.number() });
  const gate = {
    client,
    agentId: "typed-bot",
    verify: { keys: server.jwks },
    // Typed from the tool: a wrong field name here is a compile error.
    title: (input: { orderId: string; amountCents: number }) => `Refund order ${input.orderId}`,
  };
  const tools6 = { issue_refund: withApproval(tool({ inputSchema, execute: async () => "refunded" }), gate) };
  const tools7 = {
    issue_refund: withApproval(toolV7({ inputSchema, execute: async () => "refunded" }), gate),
  };
  const model6 = v6.model([refundCall()]) as Parameters<typeof generateText>[0]["model"];
  const generated = await generateText({ model: model6, tools: tools6, messages: userAsksForRefund });
  const streamed = streamText({ model: model6, tools: tools6, messages: userAsksForRefund });
  const model7 = v7.model([refundCall()]) as Parameters<typeof streamTextV7>[0]["model"];
  const streamedV7 = streamTextV7({ model: model7, tools: tools7, messages: userAsksForRefund });

  const decisions = Promise.all([
    resolveApprovals(generated, { tools: tools6 }),
    resolveApprovals(streamed, { tools: tools6 }),
    resolveApprovals(streamedV7, { tools: tools7 }),
  ]);
  for (const content of [generated.content, await streamed.content, await streamedV7.content]) {
    await server.reject(
      (await pendingPauseFor(server, approvalIdsIn(content)[0] as string)).pause_id,
      "Not today",
    );
  }

  for (const message of await decisions) {
    expect(message.content).toMatchObject([{ approved: false, reason: "Not today" }]);
  }
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
