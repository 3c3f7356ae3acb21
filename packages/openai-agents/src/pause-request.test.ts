import { expect, test } from "vitest";
import type { ApprovalClient } from "./approval-options.ts";
import { parseToolArguments, pauseRequestFor } from "./pause-request.ts";

const options = { client: {} as ApprovalClient, agentId: "billing-agent" };

test("by default the approver reads the tool name and its arguments as a list", async () => {
  const { request, idempotencyKey } = await pauseRequestFor(options, {
    toolName: "pay_invoice",
    callId: "call_1",
    args: { payee: "Acme Corp", amount: 12450 },
  });
  expect(request).toEqual({
    agent_id: "billing-agent",
    action: {
      type: "pay_invoice",
      title: "Run pay_invoice",
      body: "The agent wants to run `pay_invoice` with:\n\n- **payee**: Acme Corp\n- **amount**: `12450`",
      data: { payee: "Acme Corp", amount: 12450 },
    },
    context: { framework: "openai-agents", tool_name: "pay_invoice", tool_call_id: "call_1" },
  });
  expect(idempotencyKey).toBe("openai-agents:billing-agent:pay_invoice:call_1");
});

test("a long title is cut to what the server accepts, never inside a character", async () => {
  const { action } = await pauseRequestFor(
    { ...options, title: (args) => String(args.text) },
    { toolName: "note", callId: "call_1", args: { text: "😀".repeat(150) } },
  );
  expect(action.title!.length).toBeLessThanOrEqual(200);
  expect(action.title!.isWellFormed()).toBe(true);
  expect(action.title!.endsWith("…")).toBe(true);
});

test("an idempotency key too long for the server is hashed, and stays stable", async () => {
  const call = { toolName: "pay_invoice", callId: "c".repeat(300), args: {} };
  const first = await pauseRequestFor(options, call);
  const second = await pauseRequestFor(options, call);
  expect(first.idempotencyKey).toMatch(/^openai-agents:sha256:[0-9a-f]{64}$/);
  expect(second.idempotencyKey).toBe(first.idempotencyKey);
});

test("only a JSON object counts as tool arguments", () => {
  expect(parseToolArguments('{"a":1}')).toEqual({ a: 1 });
  expect(parseToolArguments("")).toEqual({});
  expect(parseToolArguments("[1]")).toBeNull();
  expect(parseToolArguments("{not json")).toBeNull();
  expect(parseToolArguments(undefined)).toBeNull();
});
