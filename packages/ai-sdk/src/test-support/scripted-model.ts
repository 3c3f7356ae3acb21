/**
 * A language-model script shared by the v6 (`MockLanguageModelV3`) and v7
 * (`MockLanguageModelV4`) mocks: the first turn calls the tools; once the
 * prompt carries tool results, the model answers with what it saw, so a test
 * reads "the model saw the result / the reason" straight from `result.text`.
 */

export interface ScriptedToolCall {
  toolCallId: string;
  toolName: string;
  input: unknown;
}

const usage = {
  inputTokens: { total: 10, noCache: 10, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: 5, text: 5, reasoning: 0 },
};

interface PromptMessage {
  role: string;
  content: unknown;
}

interface ToolResultPart {
  type: "tool-result";
  toolName: string;
  output: { type: string; value?: unknown; reason?: string };
}

function toolResultsIn(prompt: readonly PromptMessage[]): ToolResultPart[] {
  return prompt
    .filter((message) => message.role === "tool" && Array.isArray(message.content))
    .flatMap((message) => message.content as { type: string }[])
    .filter((part): part is ToolResultPart => part.type === "tool-result");
}

function describeOutput(output: ToolResultPart["output"]): string {
  switch (output.type) {
    case "execution-denied":
      return `denied: ${output.reason ?? "(no reason)"}`;
    case "error-text":
    case "error-json":
      return `error: ${typeof output.value === "string" ? output.value : JSON.stringify(output.value)}`;
    default:
      return `result: ${typeof output.value === "string" ? output.value : JSON.stringify(output.value)}`;
  }
}

/** The model's next turn for this prompt. */
export function nextTurn(
  prompt: readonly PromptMessage[],
  toolCalls: readonly ScriptedToolCall[],
): { text: string } | { toolCalls: readonly ScriptedToolCall[] } {
  const results = toolResultsIn(prompt);
  if (results.length === 0) return { toolCalls };
  return { text: results.map((result) => `${result.toolName} ${describeOutput(result.output)}`).join("\n") };
}

export function generateResult(turn: ReturnType<typeof nextTurn>) {
  if ("text" in turn) {
    return {
      content: [{ type: "text" as const, text: turn.text }],
      finishReason: { unified: "stop" as const, raw: "stop" },
      usage,
      warnings: [],
    };
  }
  return {
    content: turn.toolCalls.map((call) => ({
      type: "tool-call" as const,
      toolCallId: call.toolCallId,
      toolName: call.toolName,
      input: JSON.stringify(call.input),
    })),
    finishReason: { unified: "tool-calls" as const, raw: "tool_calls" },
    usage,
    warnings: [],
  };
}

export function streamParts(turn: ReturnType<typeof nextTurn>) {
  const finish = generateResult(turn);
  const parts: Record<string, unknown>[] = [{ type: "stream-start", warnings: [] }];
  if ("text" in turn) {
    parts.push(
      { type: "text-start", id: "text-1" },
      { type: "text-delta", id: "text-1", delta: turn.text },
      { type: "text-end", id: "text-1" },
    );
  } else {
    parts.push(...finish.content);
  }
  parts.push({ type: "finish", finishReason: finish.finishReason, usage });
  return parts;
}
