import { MockLanguageModelV3 } from "ai/test";
import type { Refund } from "./support-tools.ts";

type Prompt = { role: string; content: unknown }[];
type StreamPart =
  Awaited<ReturnType<MockLanguageModelV3["doStream"]>>["stream"] extends ReadableStream<infer PART>
    ? PART
    : never;
type ToolOutput = { type: string; value?: unknown; reason?: string };

const usage = {
  inputTokens: { total: 10, noCache: 10, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: 10, text: 10, reasoning: 0 },
};

/** How the bot answers once it has seen the refund tool's outcome. */
function reply(output: ToolOutput): string {
  if (output.type === "execution-denied")
    return `I can't issue that refund: ${output.reason ?? "it was not approved"}.`;
  if (output.type.startsWith("error")) return `The refund did not go through: ${String(output.value)}`;
  const refund = output.value as Refund & { refundId: string };
  return `Done: $${refund.amountUsd} refunded on order ${refund.orderId} (${refund.refundId}).`;
}

/**
 * An offline stand-in for a real model (`MockLanguageModelV3` from `ai/test`):
 * it asks for the given refund, then answers from the tool's outcome. With a
 * real provider, pass e.g. `openai("gpt-5")` instead; nothing else changes.
 */
export function fakeSupportModel(refund: Refund) {
  const turn = (prompt: Prompt) => {
    const outputs = prompt
      .filter((message) => message.role === "tool" && Array.isArray(message.content))
      .flatMap((message) => message.content as { type: string; output: ToolOutput }[])
      .filter((part) => part.type === "tool-result");
    const last = outputs.at(-1);
    if (last) {
      return { content: [{ type: "text" as const, text: reply(last.output) }], finish: "stop" as const };
    }
    const call = {
      type: "tool-call" as const,
      toolCallId: "call-1",
      toolName: "issue_refund",
      input: JSON.stringify(refund),
    };
    return { content: [call], finish: "tool-calls" as const };
  };
  return new MockLanguageModelV3({
    doGenerate: async ({ prompt }) => {
      const { content, finish } = turn(prompt as Prompt);
      return { content, finishReason: { unified: finish, raw: finish }, usage, warnings: [] };
    },
    doStream: async ({ prompt }) => {
      const { content, finish } = turn(prompt as Prompt);
      const parts = content.flatMap((part): StreamPart[] =>
        part.type === "text"
          ? [
              { type: "text-start" as const, id: "t1" },
              { type: "text-delta" as const, id: "t1", delta: part.text },
              { type: "text-end" as const, id: "t1" },
            ]
          : [part],
      );
      const stream = new ReadableStream<StreamPart>({
        start(controller) {
          for (const part of [
            ...parts,
            { type: "finish" as const, finishReason: { unified: finish, raw: finish }, usage },
          ]) {
            controller.enqueue(part);
          }
          controller.close();
        },
      });
      return { stream };
    },
  });
}
