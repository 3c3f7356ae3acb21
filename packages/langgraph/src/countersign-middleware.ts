import { isCountersignError } from "@countersign/core";
import { ToolMessage } from "@langchain/core/messages";
import { isGraphBubbleUp } from "@langchain/langgraph";
import type { AgentMiddleware } from "langchain";

// createMiddleware() from langchain returns a plain object with this registry
// brand; built here by hand so this package does not import langchain at run time.
const MIDDLEWARE_BRAND = Symbol.for("AgentMiddleware");

interface ToolCallRequest {
  toolCall: { id?: string; name: string };
}

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
 * @example
 * createAgent({ model, tools: [withApproval(refund, options)], middleware: [countersignMiddleware()], checkpointer })
 */
export function countersignMiddleware(): AgentMiddleware {
  const middleware = {
    [MIDDLEWARE_BRAND]: true,
    name: "countersign",
    async wrapToolCall(request: ToolCallRequest, handler: (request: ToolCallRequest) => Promise<unknown>) {
      try {
        return await handler(request);
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
