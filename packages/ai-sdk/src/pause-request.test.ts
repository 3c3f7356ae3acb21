import { isCountersignError } from "@countersign/core";
import { describe, expect, it } from "vitest";
import { fromActionData, toActionData } from "./action-data.ts";
import type { ApprovalOptions } from "./approval-options.ts";
import { pauseRequestFor } from "./pause-request.ts";

const options = {
  client: {} as ApprovalOptions["client"],
  agentId: "support-bot",
  verify: { secret: "s" },
  title: (input: unknown) => `Refund ${(input as { amountCents: number }).amountCents}`,
} satisfies ApprovalOptions;

const call = {
  approvalId: "approval-1",
  toolCallId: "call-1",
  toolName: "issue_refund",
  input: { amountCents: 5 },
};

describe("pauseRequestFor", () => {
  it("builds the same request and key for the same call, so reopening finds the same pause", async () => {
    const first = await pauseRequestFor(options, call);
    const again = await pauseRequestFor(options, { ...call, input: { amountCents: 5 } });
    expect(again).toEqual(first);
    expect(first.idempotencyKey).toMatch(/^ai-sdk:[0-9a-f]{64}$/);
    expect(first.request).toEqual({
      agent_id: "support-bot",
      action: {
        type: "issue_refund",
        title: "Refund 5",
        body: "The agent wants to run `issue_refund` with:\n\n- **amountCents**: `5`",
        data: { amountCents: 5 },
      },
      context: {
        framework: "ai-sdk",
        scope: "approval-1",
        tool_name: "issue_refund",
        tool_call_id: "call-1",
        approval_id: "approval-1",
      },
    });
    const otherApproval = await pauseRequestFor(options, { ...call, approvalId: "approval-2" });
    expect(otherApproval.idempotencyKey).not.toBe(first.idempotencyKey);
  });

  it("keeps idempotency keys within the server's 255 characters for long provider ids", async () => {
    const { idempotencyKey } = await pauseRequestFor(options, { ...call, toolCallId: "x".repeat(300) });
    expect(idempotencyKey).toMatch(/^ai-sdk:[0-9a-f]{64}$/);
  });
});

describe("action data", () => {
  it("sends the JSON form of the input and hands edits back in the tool's shape", () => {
    expect(toActionData({ when: new Date("2026-01-01T00:00:00Z"), skip: undefined }, "c")).toEqual({
      when: "2026-01-01T00:00:00.000Z",
    });
    expect(toActionData("rm -rf /tmp/x", "c")).toEqual({ input: "rm -rf /tmp/x" });
    expect(fromActionData({ input: "rm -rf /tmp/y" }, "rm -rf /tmp/x")).toBe("rm -rf /tmp/y");
    expect(fromActionData({ amountCents: 1 }, { amountCents: 5 })).toEqual({ amountCents: 1 });
  });

  it("refuses an input that is not JSON rather than sending something else for approval", () => {
    let error: unknown;
    try {
      toActionData({ amount: 10n }, "call-7");
    } catch (caught) {
      error = caught;
    }
    expect(isCountersignError(error, "invalid_request")).toBe(true);
  });
});
