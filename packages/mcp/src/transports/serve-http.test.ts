import { CountersignError } from "@countersign/core";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { afterEach, describe, expect, it } from "vitest";
import { connectHttp } from "../test-support/connect-client.ts";
import { text } from "../test-support/results.ts";
import { type HttpServing, serveStreamableHttp } from "./serve-http.ts";

/** A one-tool MCP server that says which key its session opened with. */
function whoami(apiKey: string) {
  const server = new McpServer({ name: "whoami", version: "1.0.0" });
  server.registerTool("whoami", { description: "the session's key" }, async () => ({
    content: [{ type: "text", text: apiKey }],
  }));
  return server;
}

describe("serveStreamableHttp", () => {
  let serving: HttpServing | undefined;
  afterEach(async () => {
    await serving?.close();
  });

  it("opens a session per key and closes one its client left idle", async () => {
    serving = await serveStreamableHttp({
      authenticate: async (key) => {
        if (!key.startsWith("good")) throw new CountersignError("unauthorized", "unknown key");
      },
      createSession: whoami,
      idleMs: 300,
    });
    const connection = await connectHttp(serving.url, "good-1");
    expect(text(await connection.client.callTool({ name: "whoami", arguments: {} }))).toBe("good-1");
    await expect(connectHttp(serving.url, "bad")).rejects.toThrow(/401|accept this key/);
    await new Promise((resolve) => setTimeout(resolve, 800));
    await expect(connection.client.callTool({ name: "whoami", arguments: {} })).rejects.toThrow(
      /404|session/i,
    );
  });

  it("refuses every key while the key cannot be checked (fail closed)", async () => {
    serving = await serveStreamableHttp({
      authenticate: async () => {
        throw new CountersignError("network_error", "Countersign is down");
      },
      createSession: whoami,
    });
    const response = await fetch(serving.url, {
      method: "POST",
      headers: {
        authorization: "Bearer good-2",
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
      },
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } },
      }),
    });
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ code: "network_error" });
    expect((await fetch(serving.url.replace("/mcp", "/healthz"))).status).toBe(200);
  });
});
