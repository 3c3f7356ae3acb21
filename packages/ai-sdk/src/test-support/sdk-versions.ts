// biome-ignore-all lint/suspicious/noExplicitAny: the two majors' types differ; this harness is where they meet.
/**
 * The two AI SDK majors under test, behind one small interface, so every
 * scenario runs against `ai` 6 (`MockLanguageModelV3`) and `ai` 7
 * (`MockLanguageModelV4`) unchanged.
 */
import * as aiV6 from "ai";
import { MockLanguageModelV3, convertArrayToReadableStream as readableV6 } from "ai/test";
import * as aiV7 from "ai-v7";
import { MockLanguageModelV4, convertArrayToReadableStream as readableV7 } from "ai-v7/test";
import { generateResult, nextTurn, type ScriptedToolCall, streamParts } from "./scripted-model.ts";

export type Mode = "generateText" | "streamText";

/** What a test reads from one `generateText`/`streamText` call, whatever the major. */
export interface Turn {
  content: any[];
  responseMessages: any[];
  text: string;
}

export interface SdkUnderTest {
  name: "ai@6" | "ai@7";
  major: 6 | 7;
  tool: (definition: any) => any;
  /** A mock model that calls `toolCalls` first, then says what the tool results were. */
  model(toolCalls: readonly ScriptedToolCall[]): unknown;
  run(mode: Mode, options: Record<string, unknown>): Promise<Turn>;
  streamText: (options: any) => any;
  /** `new ToolLoopAgent(settings)`; `responseMessagesOf` reads what to append from its result. */
  toolLoopAgent: (settings: any) => { generate(options: any): Promise<any> };
  responseMessagesOf: (result: any) => any[];
  convertToModelMessages: (messages: any[]) => Promise<any[]>;
  readUIMessageStream: (options: { stream: ReadableStream<any>; message?: any }) => AsyncIterable<any>;
}

type Prompt = Parameters<typeof nextTurn>[0];

const v6: SdkUnderTest = {
  name: "ai@6",
  major: 6,
  tool: aiV6.tool as (definition: any) => any,
  model: (toolCalls) =>
    new MockLanguageModelV3({
      doGenerate: async (options) => generateResult(nextTurn(options.prompt as Prompt, toolCalls)) as any,
      doStream: async (options) => ({
        stream: readableV6(streamParts(nextTurn(options.prompt as Prompt, toolCalls)) as any[]),
      }),
    }),
  async run(mode, options) {
    if (mode === "generateText") {
      const result = await aiV6.generateText(options as any);
      return { content: result.content, responseMessages: result.response.messages, text: result.text };
    }
    const result = aiV6.streamText(options as any);
    await result.consumeStream();
    return {
      content: await result.content,
      responseMessages: (await result.response).messages,
      text: await result.text,
    };
  },
  streamText: aiV6.streamText as (options: any) => any,
  toolLoopAgent: (settings) => new aiV6.ToolLoopAgent(settings),
  responseMessagesOf: (result) => result.response.messages,
  convertToModelMessages: aiV6.convertToModelMessages as (messages: any[]) => Promise<any[]>,
  readUIMessageStream: aiV6.readUIMessageStream as SdkUnderTest["readUIMessageStream"],
};

const v7: SdkUnderTest = {
  name: "ai@7",
  major: 7,
  tool: aiV7.tool as (definition: any) => any,
  model: (toolCalls) =>
    new MockLanguageModelV4({
      doGenerate: async (options) => generateResult(nextTurn(options.prompt as Prompt, toolCalls)) as any,
      doStream: async (options) => ({
        stream: readableV7(streamParts(nextTurn(options.prompt as Prompt, toolCalls)) as any[]),
      }),
    }),
  async run(mode, options) {
    if (mode === "generateText") {
      const result = await aiV7.generateText(options as any);
      return { content: [...result.content], responseMessages: result.responseMessages, text: result.text };
    }
    const result = aiV7.streamText(options as any);
    await result.consumeStream();
    return {
      content: await result.content,
      responseMessages: await result.responseMessages,
      text: await result.text,
    };
  },
  streamText: aiV7.streamText as (options: any) => any,
  toolLoopAgent: (settings) => new aiV7.ToolLoopAgent(settings),
  responseMessagesOf: (result) => result.responseMessages,
  convertToModelMessages: aiV7.convertToModelMessages as (messages: any[]) => Promise<any[]>,
  readUIMessageStream: aiV7.readUIMessageStream as SdkUnderTest["readUIMessageStream"],
};

export const SDK_VERSIONS: readonly SdkUnderTest[] = [v6, v7];
