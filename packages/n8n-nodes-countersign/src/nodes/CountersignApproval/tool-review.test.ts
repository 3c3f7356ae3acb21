// Countersign Approval as the "Human review" n8n generates for AI Agent tools
// (`countersignApprovalHitlTool`), against a real Countersign server. What
// n8n's agent does with the output — run the gated tool on `approved: true`,
// quote `chatInput` to the model otherwise — is checked in a real n8n by
// scripts/scenarios/ai-agent-tool-gate.mts.
import { startTestServer, type TestServer } from "@countersign/core/testing";
import type { ICredentialDataDecryptedObject, IDataObject, INode } from "n8n-workflow";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitingPauseKey } from "../../shared/waiting-pause.ts";
import { type SimulatedN8n, startSimulatedN8n } from "../../testing/simulated-n8n.ts";
import { CountersignApproval } from "./CountersignApproval.node.ts";

let countersign: TestServer;
let n8n: SimulatedN8n;

beforeAll(async () => {
  countersign = await startTestServer();
  n8n = await startSimulatedN8n(new CountersignApproval());
});
afterAll(async () => {
  await n8n?.close();
  await countersign?.close();
});

const reviewNode: INode = {
  id: "5b1e2c3d-4f5a-4b6c-8d7e-9f0a1b2c3d4e",
  name: "Countersign review",
  type: "n8n-nodes-countersign.countersignApprovalHitlTool",
  typeVersion: 1,
  position: [0, 0],
  parameters: {
    operation: "sendAndWait",
    message: "The agent wants to run this tool: Issue_refund",
    agentId: "n8n-support-agent",
    actionType: "",
    dataSource: "incomingItem",
    expiresAmount: 1,
    expiresUnit: "hours",
  },
};

/** The item n8n gives the review node for a gated call (the agent's input, the call). */
const call = {
  body: { message: "Please refund order 2001 for 40" },
  tool: "Issue_refund",
  toolParameters: { order_id: "2001", amount: 40 },
  toolCallId: "call_1",
};

function credentials(): ICredentialDataDecryptedObject {
  return {
    serverUrl: countersign.url,
    apiKey: countersign.agentKey,
    webhookSecret: countersign.webhookSecret,
    proofSecret: "",
    publicKeys: JSON.stringify(countersign.jwks),
  };
}

async function reviewRun(json: IDataObject = call) {
  const execution = await n8n.run({ node: reviewNode, credentials: credentials(), items: [{ json }] });
  expect(execution.status).toBe("waiting");
  const pauseId = JSON.parse(execution.stored).resultData.metadata[waitingPauseKey(reviewNode)] as string;
  return { execution, pauseId };
}

async function agentReads(executionId: string) {
  const outputs = (await n8n.finished(executionId, 15_000)).outputs ?? [];
  expect(outputs).toHaveLength(1);
  expect(outputs[0]).toHaveLength(1);
  return outputs[0]![0]!.json as { approved: boolean; chatInput?: string; decision: string };
}

describe("Countersign Approval as an AI Agent's Human review", () => {
  it("opens a pause for the tool call: the tool's name, exactly its arguments, and the call id", async () => {
    const { pauseId } = await reviewRun();
    const pause = (await countersign.server.service.getPause(pauseId))!;
    expect(pause.action).toEqual({
      type: "Issue_refund",
      title: "The agent wants to run Issue_refund",
      body: "The agent wants to run this tool: Issue_refund",
      data: { order_id: "2001", amount: 40 },
    });
    expect(pause.context).toMatchObject({ tool_name: "Issue_refund", tool_call_id: "call_1" });
  });

  it("says approved, on one output, only after a verified approval that it claimed", async () => {
    const { execution, pauseId } = await reviewRun();
    await countersign.approve(pauseId, { reason: "Receipt checked" });
    const read = await agentReads(execution.executionId);
    expect(read).toMatchObject({ approved: true, decision: "approved" });
    expect(read.chatInput).toBeUndefined();
    expect((await countersign.server.service.getPause(pauseId))?.claimed_at).not.toBeNull();
  });

  it("refuses with the reviewer's reason for the agent, and claims nothing", async () => {
    const { execution, pauseId } = await reviewRun();
    await countersign.reject(pauseId, "Over the refund limit");
    const read = await agentReads(execution.executionId);
    expect(read.approved).toBe(false);
    expect(read.chatInput).toBe(
      "A reviewer by alice@example.com rejected the call to Issue_refund in Countersign: Over the refund limit. It was not run.",
    );
    expect((await countersign.server.service.getPause(pauseId))?.claimed_at).toBeNull();
  });

  it("does not run an approval with edited arguments, and tells the agent the approved ones", async () => {
    const { execution, pauseId } = await reviewRun();
    await countersign.approve(pauseId, { data: { order_id: "2001", amount: 25 } });
    const read = await agentReads(execution.executionId);
    expect(read.approved).toBe(false);
    expect(read.chatInput).toContain('only with changed arguments: {"order_id":"2001","amount":25}');
    expect((await countersign.server.service.getPause(pauseId))?.claimed_at).toBeNull();
  });

  it("treats expiry as a refusal", async () => {
    const execution = await n8n.run({
      node: {
        ...reviewNode,
        parameters: { ...reviewNode.parameters, expiresAmount: 1, expiresUnit: "seconds" },
      },
      credentials: credentials(),
      items: [{ json: call }],
    });
    const read = await agentReads(execution.executionId);
    expect(read).toMatchObject({ approved: false, decision: "expired" });
    expect(read.chatInput).toMatch(/^The call to Issue_refund was not approved in time and was not run/);
  });

  it("fails instead of asking when it is not connected between an agent and a tool", async () => {
    const execution = await n8n.run({ node: reviewNode, credentials: credentials(), items: [{ json: {} }] });
    expect(execution.status).toBe("error");
    expect(execution.error?.message).toMatch(/between an AI Agent and the tools it gates/);
  });
});
