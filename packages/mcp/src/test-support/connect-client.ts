import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { ClientCapabilities } from "@modelcontextprotocol/sdk/types.js";

const ENTRY = fileURLToPath(new URL("./stdio-entry.ts", import.meta.url));

export interface Connected {
  client: Client;
  stderr: () => string;
  close(): Promise<void>;
}

/** The official SDK client, driving a gateway or approval server in a child process over stdio. */
export async function connectStdio(
  kind: "gateway" | "approvals",
  options: Record<string, unknown>,
  clientOptions: { capabilities?: ClientCapabilities } = {},
): Promise<Connected> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: ["--conditions=@countersign/source", ENTRY, kind, JSON.stringify(options)],
    stderr: "pipe",
  });
  let stderr = "";
  transport.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const client = new Client(
    { name: "test-client", version: "1.0.0" },
    { capabilities: clientOptions.capabilities ?? {} },
  );
  try {
    await client.connect(transport);
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${stderr}`);
  }
  return { client, stderr: () => stderr, close: () => client.close() };
}

/** The official SDK client over Streamable HTTP, with the agent key as its Bearer token. */
export async function connectHttp(
  url: string,
  apiKey: string,
  clientOptions: { capabilities?: ClientCapabilities } = {},
): Promise<Connected & { transport: StreamableHTTPClientTransport }> {
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: { headers: { authorization: `Bearer ${apiKey}` } },
  });
  const client = new Client(
    { name: "test-client", version: "1.0.0" },
    { capabilities: clientOptions.capabilities ?? {} },
  );
  await client.connect(transport);
  return { client, transport, stderr: () => "", close: () => client.close() };
}
