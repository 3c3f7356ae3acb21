import {
  createToolGate,
  isCountersignError,
  type ToolGate,
  ToolGateError,
  type ToolGateOptions,
} from "@countersign/core";
import { ToolMessage } from "@langchain/core/messages";
import { isGraphBubbleUp } from "@langchain/langgraph";
import type { AgentMiddleware } from "langchain";
import { z } from "zod";
import { reviewedPauseOf, runReviewedCall, type ToolCallRequest } from "./hitl-claim.ts";
import { HITL_FRAMEWORK, HITL_PAUSES_KEY } from "./hitl-shapes.ts";

// createMiddleware() from langchain returns a plain object with this registry
// brand; built here by hand so this package does not import langchain at run time.
const MIDDLEWARE_BRAND = Symbol.for("AgentMiddleware");

/**
 * What claiming `reviewHitlRequest`'s approvals needs: an agent client and
 * the pinned trust anchors (the same as `reviewHitlRequest`'s).
 */
export type CountersignMiddlewareOptions = Pick<
  ToolGateOptions,
  "client" | "url" | "apiKey" | "verify" | "onReceiptError"
>;

/**
 * Lets Countersign failures reach the application when the agent is built
 * with `createAgent`. Its ToolNode turns every tool error into a message for
 * the model ("… Please fix your mistakes."), which would consume the approval
 * interrupt on an outage and hide a forged proof from you; `createAgent` has
 * no `handleToolErrors: false`. Errors thrown through `wrapToolCall` reach
 * `invoke()` instead, so this middleware rethrows every `CountersignError`
 * (the graph stays at its interrupt: resend the same resume once the server
 * is back) and answers other tool errors exactly as the default ToolNode does.
 *
 * With options (a client and trust anchors) it also completes
 * `reviewHitlRequest`: a tool call that `humanInTheLoopMiddleware` let through
 * on a Countersign approval runs only after its pause is verified and claimed,
 * so it runs at most once, even when the same resume is replayed.
 *
 * @example
 * createAgent({ model, tools: [withApproval(refund, options)], middleware: [countersignMiddleware()], checkpointer })
 * createAgent({ model, tools: [refund], middleware: [humanInTheLoopMiddleware({ interruptOn }), countersignMiddleware({ client, verify })], checkpointer })
 */
export function countersignMiddleware(options?: CountersignMiddlewareOptions): AgentMiddleware {
  // Built at once, so a missing client or trust anchor fails when the agent is built. It only
  // verifies, claims and runs pauses reviewHitlRequest opened: its agentId is never sent.
  const gate: ToolGate | undefined =
    options === undefined
      ? undefined
      : createToolGate({ ...options, framework: HITL_FRAMEWORK, agentId: "countersign-middleware" });
  const middleware = {
    [MIDDLEWARE_BRAND]: true,
    name: "countersign",
    // Only with options: `reviewHitlRequest` refuses an agent without this state key.
    ...(gate === undefined ? {} : hitlRecord),
    async wrapToolCall(request: ToolCallRequest, handler: (request: ToolCallRequest) => Promise<unknown>) {
      try {
        const pauseId = reviewedPauseOf(request);
        if (pauseId === undefined) return await handler(request);
        if (gate === undefined) throw notConfigured(request);
        return await runReviewedCall(gate, request, pauseId, handler);
      } catch (error) {
        // Interrupts (the approval itself) and Countersign failures go to the caller.
        if (isGraphBubbleUp(error) || isCountersignError(error)) throw error;
        const { toolCall } = request;
        const invalidInput =
          error instanceof Error && (error as { "~brand"?: unknown })["~brand"] === "ToolInvocationError";
        return new ToolMessage({
          content: invalidInput ? error.message : `${error}\n Please fix your mistakes.`,
          tool_call_id: toolCall.id ?? "",
          name: toolCall.name,
          status: "error",
        });
      }
    },
  };
  return middleware as unknown as AgentMiddleware;
}

/**
 * The tool call → pause record `reviewHitlRequest`'s `Command` writes. Emptied
 * before each model call, so a tool call id the model repeats in a later turn
 * is not taken for the call an earlier approval was for.
 */
const hitlRecord = {
  stateSchema: z.object({ [HITL_PAUSES_KEY]: z.record(z.string(), z.string()).optional() }),
  beforeModel(state: Record<string, unknown>) {
    const record = state[HITL_PAUSES_KEY];
    if (typeof record !== "object" || record === null || Object.keys(record).length === 0) return undefined;
    return { [HITL_PAUSES_KEY]: {} };
  },
};

function notConfigured(request: ToolCallRequest): ToolGateError {
  const { name, id } = request.toolCall;
  return new ToolGateError(
    "configuration",
    "invalid_request",
    `${name} (call ${id}) did not run: it was approved through reviewHitlRequest, and claiming that approval needs countersignMiddleware({ client, verify })`,
    { toolName: name, ...(id === undefined ? {} : { toolCallId: id }) },
  );
}
