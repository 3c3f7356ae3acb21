import { verifyProof } from "@countersign/core";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningApprovalServer, startApprovalServer } from "./approvals/start-approval-server.ts";
import { type Connected, connectHttp, connectStdio } from "./test-support/connect-client.ts";
import { type Fixture, startFixture } from "./test-support/fixture.ts";
import { text } from "./test-support/results.ts";
import { startTamperingProxy } from "./test-support/tampering-proxy.ts";

type Approval = {
  status: string;
  approved: boolean;
  pause_id: string;
  reason: string | null;
  data: Record<string, unknown> | null;
  edited: boolean;
  decided_by: { id: string } | null;
  proof: Record<string, unknown> | null;
};
const structured = (result: unknown) => (result as CallToolResult).structuredContent as Approval;

const REFUND = {
  action_type: "refund",
  title: "Refund order 1234 ($250)",
  data: { order: "1234", amount: 250 },
  risk: "medium",
};

function approvalCases(name: string, connect: (fixture: Fixture) => Promise<Connected>) {
  describe(`approval server over ${name}`, () => {
    let fixture: Fixture;
    let agent: Connected;

    beforeAll(async () => {
      fixture = await startFixture();
      agent = await connect(fixture);
    });
    afterAll(async () => {
      await agent?.close();
      await fixture?.close();
    });

    it("lists its four tools with output schemas", async () => {
      const tools = (await agent.client.listTools()).tools;
      expect(tools.map((tool) => tool.name).sort()).toEqual([
        "cancel_approval",
        "claim_approval",
        "get_approval",
        "request_approval",
      ]);
      expect(tools.find((tool) => tool.name === "request_approval")?.outputSchema).toBeDefined();
    });

    it("answers pending within its window, then the approval with a proof that verifies offline", async () => {
      const first = await agent.client.callTool({
        name: "request_approval",
        arguments: { ...REFUND, wait_seconds: 0 },
      });
      const pending = structured(first);
      expect(pending).toMatchObject({ status: "pending", approved: false, proof: null });
      expect(text(first as CallToolResult)).toContain(`get_approval with pause_id "${pending.pause_id}"`);
      // The same request again lands on the same pause.
      const again = structured(
        await agent.client.callTool({ name: "request_approval", arguments: { ...REFUND, wait_seconds: 0 } }),
      );
      expect(again.pause_id).toBe(pending.pause_id);

      const waiting = agent.client.callTool({
        name: "get_approval",
        arguments: { pause_id: pending.pause_id },
      });
      await fixture.countersign.approve(pending.pause_id, { reason: "within policy" });
      const decided = structured(await waiting);
      expect(decided).toMatchObject({
        status: "approved",
        approved: true,
        reason: "within policy",
        data: { order: "1234", amount: 250 },
        edited: false,
        decided_by: { id: "alice@example.com" },
      });
      const verified = await verifyProof(decided.proof, {
        keys: fixture.countersign.jwks,
        pauseId: pending.pause_id,
        action: { type: "refund", title: REFUND.title, data: REFUND.data, risk: "medium" },
      });
      expect(verified.approved).toBe(true);

      const claimed = await agent.client.callTool({
        name: "claim_approval",
        arguments: { pause_id: pending.pause_id },
      });
      expect((claimed as CallToolResult).isError).toBeFalsy();
      const twice = (await agent.client.callTool({
        name: "claim_approval",
        arguments: { pause_id: pending.pause_id },
      })) as CallToolResult;
      expect(twice.isError).toBe(true);
      expect(text(twice)).toContain("already_claimed");
    });

    it("returns the approver's edits and a rejection's reason", async () => {
      const edits = agent.client.callTool({
        name: "request_approval",
        arguments: { ...REFUND, request_id: "edits" },
      });
      const pause = await fixture.countersign.nextPendingPause();
      await fixture.countersign.approve(pause.pause_id, { data: { order: "1234", amount: 200 } });
      expect(structured(await edits)).toMatchObject({
        approved: true,
        edited: true,
        data: { order: "1234", amount: 200 },
      });

      const rejected = agent.client.callTool({
        name: "request_approval",
        arguments: { ...REFUND, request_id: "no" },
      });
      const second = await fixture.countersign.nextPendingPause();
      await fixture.countersign.reject(second.pause_id, "Refund window closed");
      const result = await rejected;
      expect(structured(result)).toMatchObject({
        status: "rejected",
        approved: false,
        reason: "Refund window closed",
      });
      expect(text(result as CallToolResult)).toContain("Refund window closed. Do not act.");
    });

    it("cancels a pending request", async () => {
      const opened = structured(
        await agent.client.callTool({
          name: "request_approval",
          arguments: { ...REFUND, request_id: "cancel", wait_seconds: 0 },
        }),
      );
      const cancelled = structured(
        await agent.client.callTool({
          name: "cancel_approval",
          arguments: { pause_id: opened.pause_id, reason: "not needed" },
        }),
      );
      expect(cancelled).toMatchObject({ status: "cancelled", approved: false });
    });
  });
}

approvalCases("stdio", (fixture) =>
  connectStdio("approvals", {
    countersignUrl: fixture.countersign.url,
    jwks: fixture.jwksFile,
    apiKey: fixture.countersign.agentKey,
    agentId: "support-bot",
  }),
);

let httpServer: RunningApprovalServer | undefined;
approvalCases("Streamable HTTP", async (fixture) => {
  httpServer = await startApprovalServer({
    countersignUrl: fixture.countersign.url,
    jwks: fixture.jwksFile,
    http: { port: 0 },
  });
  const connection = await connectHttp(httpServer.http!.url, fixture.countersign.agentKey);
  return {
    ...connection,
    async close() {
      await connection.close();
      await httpServer?.close();
    },
  };
});

describe("approval server trust", () => {
  let fixture: Fixture;
  beforeAll(async () => {
    fixture = await startFixture();
  });
  afterAll(async () => {
    await fixture?.close();
  });

  it("never reports a tampered approval as approved", async () => {
    const proxy = await startTamperingProxy(fixture.countersign.url, {
      pause: (pause) =>
        pause.status === "rejected"
          ? { ...pause, status: "approved", proof: { ...(pause.proof as object), decision: "approved" } }
          : pause,
    });
    const agent = await connectStdio("approvals", {
      countersignUrl: proxy.url,
      jwks: fixture.jwksFile,
      apiKey: fixture.countersign.agentKey,
    });
    try {
      const call = agent.client.callTool({ name: "request_approval", arguments: REFUND });
      const pause = await fixture.countersign.nextPendingPause();
      await fixture.countersign.reject(pause.pause_id, "No");
      const result = (await call) as CallToolResult;
      expect(result.isError).toBe(true);
      expect(result.structuredContent).toBeUndefined();
      expect(text(result)).toContain("proof_invalid_signature");
      expect(text(result)).toContain("do not act");
    } finally {
      await agent.close();
      await proxy.close();
    }
  });

  it("refuses to start without pinned keys unless told to trust the server's", async () => {
    await expect(
      startApprovalServer({ countersignUrl: fixture.countersign.url, apiKey: "x", env: {} }),
    ).rejects.toThrow(/Pin Countersign's public keys/);
  });
});
