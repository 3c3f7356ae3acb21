import { type CountersignClient, createClient, isCountersignError, resultDigest } from "@countersign/core";
import { startTestServer, type TestServer } from "@countersign/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApprovalStatusRoute } from "./approval-status-route.ts";
import { type ChatApprovalMetadata, createChatApprovals } from "./chat-approvals.ts";
import { refundCall, refundTools } from "./test-support/refund-fixture.ts";
import { SDK_VERSIONS, type SdkUnderTest } from "./test-support/sdk-versions.ts";

const toolApprovalSecret = "chat-tool-approval-secret";

interface UIPart {
  type: string;
  text?: string;
  state?: string;
  approval?: { id: string; approved?: boolean; reason?: string };
  output?: unknown;
}
interface UIMessage {
  id: string;
  role: string;
  parts: UIPart[];
  metadata?: unknown;
}

/**
 * A `useChat` app: the route below is what a Next.js `POST /api/chat` does
 * with this package; the browser side is `readUIMessageStream`, as `useChat`
 * uses it. Decisions come from Countersign, never from the browser.
 */
describe.each(SDK_VERSIONS)("chat approvals on $name", (sdk: SdkUnderTest) => {
  let server: TestServer;
  let client: CountersignClient;

  beforeAll(async () => {
    server = await startTestServer();
    client = createClient({ baseUrl: server.url, apiKey: server.agentKey });
  });
  afterAll(async () => {
    await server.close();
  });

  function chatApp() {
    const fixture = refundTools(sdk, { client, server });
    const model = sdk.model([refundCall()]);
    /** The chat route: UI messages in, the assistant's UI message out (as the browser assembles it). */
    async function post(
      uiMessages: UIMessage[],
    ): Promise<{ message: UIMessage; approvals: ReturnType<typeof createChatApprovals> }> {
      const approvals = createChatApprovals({ tools: fixture.tools, approvalSecret: toolApprovalSecret });
      const messages = await approvals.prepareMessages(await sdk.convertToModelMessages(uiMessages));
      const result = sdk.streamText({
        model,
        tools: fixture.tools,
        messages,
        experimental_transform: approvals.transform,
        experimental_toolApprovalSecret: toolApprovalSecret,
      });
      const stream = result.toUIMessageStream({
        originalMessages: uiMessages,
        messageMetadata: approvals.messageMetadata,
      });
      // Like useChat, the browser continues its last assistant message when the request resumes one.
      const last = uiMessages.at(-1);
      const continued = last?.role === "assistant" ? structuredClone(last) : undefined;
      let message: UIMessage | undefined;
      for await (const snapshot of sdk.readUIMessageStream({ stream, message: continued }))
        message = snapshot;
      return { message: structuredClone(message) as UIMessage, approvals };
    }
    return { ...fixture, post };
  }

  const user: UIMessage = {
    id: "u1",
    role: "user",
    parts: [{ type: "text", text: "Refund order 42" } as UIPart],
  };
  const refundPart = (message: UIMessage) =>
    message.parts.find((part) => part.type === "tool-issue_refund") as UIPart;

  /** What the browser sends after the status route said "decided": `addToolApprovalResponse`. */
  function respond(message: UIMessage, approved: boolean): UIMessage {
    return {
      ...message,
      parts: message.parts.map((part) =>
        part.type === "tool-issue_refund"
          ? {
              ...part,
              state: "approval-responded",
              approval: { ...(part.approval as { id: string }), approved },
            }
          : part,
      ),
    };
  }

  async function askForRefund(app: ReturnType<typeof chatApp>) {
    const { message } = await app.post([user]);
    const part = refundPart(message);
    expect(part.state).toBe("approval-requested");
    const approvalId = part.approval?.id as string;
    const pending = (message.metadata as ChatApprovalMetadata).countersign.approvals[approvalId];
    return { message, approvalId, pauseId: pending?.pauseId as string, pending };
  }

  it("opens the pause while streaming and tells the browser which one to wait on", async () => {
    const app = chatApp();
    const { pauseId, pending } = await askForRefund(app);

    expect(pending).toMatchObject({ status: "pending", inboxUrl: expect.stringContaining(pauseId) });
    const opened = await server.server.service.getPause(pauseId);
    expect(opened?.status).toBe("pending");
    expect(app.runs).toEqual([]);
  });

  it("approved in Countersign: the status route says so and the next request runs the refund once", async () => {
    const app = chatApp();
    const asked = await askForRefund(app);
    const status = createApprovalStatusRoute({ client, waitSeconds: 5 });
    const waiting = status(new Request(`http://app.test/api/approvals?pause_id=${asked.pauseId}`));
    await server.approve(asked.pauseId, { reason: "ok" });
    expect(await (await waiting).json()).toEqual({
      pause_id: asked.pauseId,
      approval_id: asked.approvalId,
      status: "approved",
      reason: "ok",
    });

    const resumed = await app.post([user, respond(asked.message, true)]);
    const replayed = await app.post([user, respond(asked.message, true)]);

    expect(app.runs).toEqual([{ orderId: "42", amountCents: 12_000 }]);
    expect(refundPart(resumed.message)).toMatchObject({
      state: "output-available",
      output: { refundId: "re_1" },
    });
    expect(refundPart(replayed.message).state).toBe("output-error");
    // The refund ran once, and the pause says so with a signed receipt over its result.
    expect((await client.getPause(asked.pauseId)).execution).toMatchObject({
      outcome: "succeeded",
      result_digest: await resultDigest({ refundId: "re_1", orderId: "42", amountCents: 12_000 }),
    });
  });

  it("rejected in Countersign: a browser that sends approved still gets a denial with the reviewer's reason", async () => {
    const app = chatApp();
    const asked = await askForRefund(app);
    await server.reject(asked.pauseId, "Refund window closed");

    const resumed = await app.post([user, respond(asked.message, true)]);

    expect(app.runs).toEqual([]);
    expect(refundPart(resumed.message)).toMatchObject({ state: "output-denied" });
    const text = resumed.message.parts.find((part) => part.type === "text");
    expect(text?.text).toBe("issue_refund denied: Refund window closed");
  });

  it("approved by a browser before anyone decided: the request fails and nothing runs", async () => {
    const app = chatApp();
    const asked = await askForRefund(app);

    const error = await app.post([user, respond(asked.message, true)]).catch((failure: unknown) => failure);

    expect(isCountersignError(error, "not_approved")).toBe(true);
    expect((error as Error).message).toContain(asked.pauseId);
    expect(app.runs).toEqual([]);
  });

  it("the status route answers 404 for a pause that is not an AI SDK approval, 400 without an id", async () => {
    const status = createApprovalStatusRoute({ client, waitSeconds: 0 });
    const other = await client.createPause({ agent_id: "support-bot", action: { type: "deploy" } });
    expect((await status(new Request(`http://app.test/s?pause_id=${other.pause_id}`))).status).toBe(404);
    expect((await status(new Request("http://app.test/s"))).status).toBe(400);
  });

  it("Countersign down while streaming: the browser gets an error and nothing runs", async () => {
    const down = await startTestServer();
    const downClient = createClient({ baseUrl: down.url, apiKey: down.agentKey, timeoutMs: 2_000 });
    await down.close();
    const fixture = refundTools(sdk, { client: downClient, server: down });
    const approvals = createChatApprovals({ tools: fixture.tools, approvalSecret: toolApprovalSecret });
    const result = sdk.streamText({
      model: sdk.model([refundCall()]),
      tools: fixture.tools,
      messages: await sdk.convertToModelMessages([user]),
      experimental_transform: approvals.transform,
      onError: () => {},
    });
    const chunks: { type: string; errorText?: string }[] = [];
    const stream = result.toUIMessageStream({ onError: (error: unknown) => (error as Error).message });
    for await (const chunk of stream as AsyncIterable<{ type: string }>) chunks.push(chunk);

    expect(chunks.find((chunk) => chunk.type === "error")?.errorText).toMatch(/POST .*failed/);
    expect(approvals.pauses.size).toBe(0);
    expect(fixture.runs).toEqual([]);
  });
});
