import { CountersignError, canonicalJson } from "@countersign/core";
import type { HitlActionRequest } from "./hitl-shapes.ts";
import { toActionData } from "./pause-request.ts";

export interface PendingToolCall {
  id: string;
  name: string;
  args: Record<string, unknown>;
}

interface MessageLike {
  tool_calls?: unknown;
  type?: unknown;
  _getType?: () => string;
  getType?: () => string;
}

/**
 * The tool call behind each action request of a `humanInTheLoopMiddleware`
 * interrupt. The middleware interrupts on a subsequence of the last AI
 * message's tool calls, in order, and copies name and arguments but not the
 * id: each request is matched to the next call with the same name and
 * arguments. No match fails closed: the interrupt is not about these calls.
 */
export function toolCallsOfRequests(
  messages: unknown,
  actionRequests: readonly HitlActionRequest[],
): PendingToolCall[] {
  const toolCalls = lastAiToolCalls(messages);
  const matched: PendingToolCall[] = [];
  let next = 0;
  for (const request of actionRequests) {
    const wanted = canonicalJson(toActionData(request.args));
    let found: PendingToolCall | undefined;
    while (found === undefined && next < toolCalls.length) {
      const candidate = toolCalls[next++]!;
      if (candidate.name === request.name && canonicalJson(toActionData(candidate.args)) === wanted)
        found = candidate;
    }
    if (found === undefined) {
      throw new CountersignError(
        "invalid_request",
        `The interrupt asks about a ${request.name} call that is not among the agent's last tool calls`,
      );
    }
    matched.push(found);
  }
  return matched;
}

function lastAiToolCalls(messages: unknown): PendingToolCall[] {
  if (!Array.isArray(messages)) {
    throw new CountersignError("invalid_request", "The thread's state has no `messages`");
  }
  const last = [...messages].reverse().find((message: MessageLike) => typeOf(message) === "ai") as
    | MessageLike
    | undefined;
  const calls = Array.isArray(last?.tool_calls) ? last.tool_calls : [];
  return calls.flatMap((call: { id?: unknown; name?: unknown; args?: unknown }) =>
    typeof call?.id === "string" && call.id !== "" && typeof call.name === "string"
      ? [{ id: call.id, name: call.name, args: (call.args ?? {}) as Record<string, unknown> }]
      : [],
  );
}

function typeOf(message: MessageLike): unknown {
  if (typeof message !== "object" || message === null) return undefined;
  if (typeof message.getType === "function") return message.getType();
  if (typeof message._getType === "function") return message._getType();
  return message.type;
}
