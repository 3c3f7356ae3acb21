// A chat model with a script, for running n8n's AI Agent without a network:
// an OpenAI-compatible `POST /v1/chat/completions` on 127.0.0.1 that n8n's
// OpenAI Chat Model node reaches through its credential's Base URL. Asked to
// "refund order <id> for <amount>", it calls the refund tool once; shown a
// tool result, it answers with that result. It records every request, so a
// test can read what the agent was told.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

interface ChatMessage {
  role: string;
  content: string | null | { type: string; text?: string }[];
  tool_calls?: unknown[];
}
interface ChatRequest {
  messages: ChatMessage[];
  tools?: { type: string; function: { name: string } }[];
  stream?: boolean;
}

export interface ScriptedChatModel {
  /** The base URL for n8n's OpenAI credential, ending in `/v1`. */
  url: string;
  requests: ChatRequest[];
  /** The tool results the agent passed back to the model, in order. */
  toolResults(): string[];
  close(): Promise<void>;
}

const text = (content: ChatMessage["content"]): string =>
  typeof content === "string"
    ? content
    : Array.isArray(content)
      ? content.map((part) => part.text ?? "").join("")
      : "";

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8"));
}

/** The next assistant message: a refund tool call, or the final answer once a tool answered. */
function reply(request: ChatRequest, callNumber: number) {
  const last = request.messages.at(-1);
  if (last?.role === "tool") {
    return { role: "assistant", content: `The refund tool answered: ${text(last.content)}` };
  }
  const ask = text(request.messages.filter((message) => message.role === "user").at(-1)?.content ?? "");
  const match = /refund order (\S+) for ([\d.]+)/i.exec(ask);
  const tool = request.tools?.find((candidate) => /refund/i.test(candidate.function.name));
  if (!match || !tool) return { role: "assistant", content: "I can only refund orders." };
  // n8n gives a tool behind Human review the schema { toolParameters, hitlParameters }.
  const args = { toolParameters: { order_id: match[1], amount: Number(match[2]) }, hitlParameters: {} };
  return {
    role: "assistant",
    content: null,
    tool_calls: [
      {
        id: `call_scripted_${callNumber}`,
        type: "function",
        function: { name: tool.function.name, arguments: JSON.stringify(args) },
      },
    ],
  };
}

export async function startScriptedChatModel(): Promise<ScriptedChatModel> {
  const requests: ChatRequest[] = [];
  const server: Server = createServer(async (request, response) => {
    if (request.method !== "POST" || !request.url?.endsWith("/chat/completions")) {
      response.writeHead(404, { "content-type": "application/json" }).end('{"error":"not found"}');
      return;
    }
    const body = (await readJson(request)) as ChatRequest;
    requests.push(body);
    const message = reply(body, requests.length);
    const finish = message.tool_calls ? "tool_calls" : "stop";
    const base = {
      id: `chatcmpl_${requests.length}`,
      created: Math.floor(Date.now() / 1000),
      model: "scripted",
    };
    const usage = { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 };
    if (!body.stream) {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(
        JSON.stringify({
          ...base,
          object: "chat.completion",
          choices: [{ index: 0, message, finish_reason: finish }],
          usage,
        }),
      );
      return;
    }
    response.writeHead(200, { "content-type": "text/event-stream" });
    const send = (data: unknown) => response.write(`data: ${JSON.stringify(data)}\n\n`);
    const delta = message.tool_calls
      ? {
          role: "assistant",
          tool_calls: message.tool_calls.map((call, index) => ({ index, ...call })),
        }
      : { role: "assistant", content: message.content };
    send({ ...base, object: "chat.completion.chunk", choices: [{ index: 0, delta, finish_reason: null }] });
    send({
      ...base,
      object: "chat.completion.chunk",
      choices: [{ index: 0, delta: {}, finish_reason: finish }],
      usage,
    });
    response.end("data: [DONE]\n\n");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    toolResults: () =>
      requests
        .map((request) => request.messages.at(-1))
        .filter((message) => message?.role === "tool")
        .map((message) => text(message?.content ?? "")),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
