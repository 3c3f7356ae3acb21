import { type CountersignClient, createClient } from "@countersign/core";
import { startTestServer, type TestServer } from "@countersign/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveApprovals } from "../resolve-approvals.ts";
import {
  approvalIdsIn,
  pendingPauseFor,
  refundCall,
  refundTools,
  userAsksForRefund,
} from "./refund-fixture.ts";
import { type Mode, SDK_VERSIONS, type SdkUnderTest } from "./sdk-versions.ts";

/**
 * The user-visible contract, run for one generation mode against both AI SDK
 * majors: approve → the tool runs once and the model sees its result; deny →
 * it never runs and the model sees the reason; a replayed or doubled resume
 * still runs it once.
 */
export function describeApprovalScenarios(mode: Mode): void {
  describe.each(SDK_VERSIONS)(`${mode} on $name`, (sdk: SdkUnderTest) => {
    let server: TestServer;
    let client: CountersignClient;

    beforeAll(async () => {
      server = await startTestServer();
      client = createClient({ baseUrl: server.url, apiKey: server.agentKey });
    });
    afterAll(async () => {
      await server.close();
    });

    /** First turn: the model asks to refund; the SDK stops with an approval request. */
    async function askForRefund() {
      const fixture = refundTools(sdk, { client, server });
      const model = sdk.model([refundCall()]);
      const first = await sdk.run(mode, { model, tools: fixture.tools, messages: userAsksForRefund });
      const [approvalId] = approvalIdsIn(first.content);
      expect(approvalId).toBeDefined();
      return { ...fixture, model, first, approvalId: approvalId as string };
    }

    /** A human decides in Countersign while `resolveApprovals` waits; returns the history to resume with. */
    async function decide(
      asked: Awaited<ReturnType<typeof askForRefund>>,
      decision: (pauseId: string) => Promise<unknown>,
    ) {
      const approvalMessage = resolveApprovals(asked.first, { tools: asked.tools });
      const pause = await pendingPauseFor(server, asked.approvalId);
      await decision(pause.pause_id);
      return {
        pause,
        approvalMessage: await approvalMessage,
        messages: [...userAsksForRefund, ...asked.first.responseMessages, await approvalMessage],
      };
    }

    it("opens a pause an approver can read, and runs nothing before the decision", async () => {
      const asked = await askForRefund();
      const { pause } = await decide(asked, (pauseId) => server.approve(pauseId));
      expect(pause.agent_id).toBe("support-bot");
      expect(pause.action).toMatchObject({
        type: "issue_refund",
        title: "Refund 12000 cents on order 42",
        risk: "high",
        data: { orderId: "42", amountCents: 12_000 },
      });
      expect(pause.context).toMatchObject({ framework: "ai-sdk", tool_call_id: "call-1" });
      expect(asked.runs).toEqual([]);
    });

    it("approved: the refund runs exactly once and the model sees its result", async () => {
      const asked = await askForRefund();
      const { messages, approvalMessage } = await decide(asked, (pauseId) =>
        server.approve(pauseId, { reason: "Customer is a VIP" }),
      );
      expect(approvalMessage.content).toEqual([
        {
          type: "tool-approval-response",
          approvalId: asked.approvalId,
          approved: true,
          reason: "Customer is a VIP",
        },
      ]);

      const second = await sdk.run(mode, { model: asked.model, tools: asked.tools, messages });

      expect(asked.runs).toEqual([{ orderId: "42", amountCents: 12_000 }]);
      expect(second.text).toBe('issue_refund result: {"refundId":"re_1","orderId":"42","amountCents":12000}');
    });

    it("denied: the refund never runs and the model sees the reviewer's reason", async () => {
      const asked = await askForRefund();
      const { messages, approvalMessage } = await decide(asked, (pauseId) =>
        server.reject(pauseId, "Order 42 was already refunded last week"),
      );
      expect(approvalMessage.content).toEqual([
        {
          type: "tool-approval-response",
          approvalId: asked.approvalId,
          approved: false,
          reason: "Order 42 was already refunded last week",
        },
      ]);

      const second = await sdk.run(mode, { model: asked.model, tools: asked.tools, messages });

      expect(asked.runs).toEqual([]);
      expect(second.text).toBe("issue_refund denied: Order 42 was already refunded last week");
    });

    it("approved with edits: the refund runs with the approver's arguments", async () => {
      const asked = await askForRefund();
      const { messages } = await decide(asked, (pauseId) =>
        server.approve(pauseId, {
          data: { orderId: "42", amountCents: 5_000 },
          reason: "Partial refund only",
        }),
      );

      const second = await sdk.run(mode, { model: asked.model, tools: asked.tools, messages });

      expect(asked.runs).toEqual([{ orderId: "42", amountCents: 5_000 }]);
      expect(second.text).toContain('"amountCents":5000');
    });

    it("re-submitting the same approved history runs the refund once", async () => {
      const asked = await askForRefund();
      const { messages } = await decide(asked, (pauseId) => server.approve(pauseId));

      const second = await sdk.run(mode, { model: asked.model, tools: asked.tools, messages });
      const replay = await sdk.run(mode, { model: asked.model, tools: asked.tools, messages });

      expect(asked.runs).toHaveLength(1);
      expect(second.text).toContain("issue_refund result:");
      expect(replay.text).toMatch(/^issue_refund error: .*already claimed/);
    });

    it("submitting the approved history twice at once runs the refund once", async () => {
      const asked = await askForRefund();
      const { messages } = await decide(asked, (pauseId) => server.approve(pauseId));

      const turns = await Promise.all([
        sdk.run(mode, { model: asked.model, tools: asked.tools, messages }),
        sdk.run(mode, { model: asked.model, tools: asked.tools, messages }),
      ]);

      expect(asked.runs).toHaveLength(1);
      const texts = turns.map((turn) => turn.text).sort();
      expect(texts[0]).toMatch(/^issue_refund error: .*already claimed/);
      expect(texts[1]).toContain("issue_refund result:");
    });
  });
}
