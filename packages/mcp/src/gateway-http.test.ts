import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  type CallToolResult,
  ElicitRequestSchema,
  type ElicitRequestURLParams,
} from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningGateway, startGateway } from "./gateway/start-gateway.ts";
import { connectHttp } from "./test-support/connect-client.ts";
import { type Fixture, filesystemConfig, startFixture } from "./test-support/fixture.ts";
import { meta, text } from "./test-support/results.ts";
import { watchWrites } from "./test-support/write-watch.ts";

const INITIALIZE = {
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "curl", version: "1" } },
};

describe("gateway over Streamable HTTP", () => {
  let fixture: Fixture;
  let running: RunningGateway;
  let url: string;

  beforeAll(async () => {
    fixture = await startFixture();
    running = await startGateway({
      config: filesystemConfig(fixture),
      countersignUrl: fixture.countersign.url,
      jwks: fixture.jwksFile,
      http: { port: 0, recheckMs: 200 },
      progressIntervalMs: 100,
      log: () => {},
      upstreamStderr: "ignore",
    });
    url = running.http!.url;
  });

  afterAll(async () => {
    await running?.close();
    await fixture?.close();
  });

  it("refuses a client without a key, or with a key Countersign does not know", async () => {
    const bare = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
      body: JSON.stringify(INITIALIZE),
    });
    expect(bare.status).toBe(401);
    expect(bare.headers.get("www-authenticate")).toContain("Bearer");
    expect(await bare.json()).toMatchObject({ code: "unauthorized" });
    await expect(connectHttp(url, "csk_agent_not-a-real-key")).rejects.toThrow(
      /401|unauthorized|accept this key/i,
    );
  });

  it("writes through an approval, once, for a client holding the agent key as its bearer", async () => {
    const connection = await connectHttp(url, fixture.countersign.agentKey);
    const file = join(fixture.folder, "over-http.txt");
    const writes = watchWrites(file);
    const progress: { progress: number; message?: string }[] = [];
    const call = connection.client.callTool(
      { name: "write_file", arguments: { path: file, content: "via http" } },
      undefined,
      { onprogress: (update) => progress.push(update), resetTimeoutOnProgress: true },
    );
    const pause = await fixture.pendingPause((data) => data.arguments.path === file);
    expect(pause.context).toMatchObject({ framework: "mcp", tool: "write_file" });
    expect(existsSync(file)).toBe(false);
    // While it waits, a client that asked for progress hears that it is waiting, and for what.
    for (let tries = 0; progress.length < 2 && tries < 200; tries++)
      await new Promise((r) => setTimeout(r, 25));
    expect(progress[0]).toEqual({ progress: 1, message: `Waiting for approval (pause ${pause.pause_id})` });
    await fixture.countersign.approve(pause.pause_id);
    const result = (await call) as CallToolResult;
    expect(result.isError).toBeFalsy();
    expect(meta(result)).toMatchObject({ status: "approved", pause_id: pause.pause_id });
    expect(await readFile(file, "utf8")).toBe("via http");
    expect(await writes.count()).toBe(1);
    writes.close();
    await connection.close();
  });

  it("keys the approval to the MCP session: another session asks afresh", async () => {
    const one = await connectHttp(url, fixture.countersign.agentKey);
    const two = await connectHttp(url, fixture.countersign.agentKey);
    const file = join(fixture.folder, "two-sessions.txt");
    const args = { name: "write_file", arguments: { path: file, content: "same call" } };
    const first = one.client.callTool(args);
    const second = two.client.callTool(args);
    const isFile = (data: { arguments: Record<string, unknown> }) => data.arguments.path === file;
    const pauseOne = await fixture.pendingPause(isFile);
    let pauseTwo = pauseOne;
    for (let tries = 0; pauseTwo.pause_id === pauseOne.pause_id && tries < 200; tries++) {
      const page = await fixture.countersign.server.service.listPauses({ status: "pending", limit: 100 });
      pauseTwo =
        page.items.find(
          (pause) => pause.pause_id !== pauseOne.pause_id && isFile(pause.action.data as never),
        ) ?? pauseOne;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(pauseTwo.pause_id).not.toBe(pauseOne.pause_id);
    await fixture.countersign.reject(pauseOne.pause_id, "one is enough");
    await fixture.countersign.reject(pauseTwo.pause_id, "one is enough");
    expect(((await first) as CallToolResult).isError).toBe(true);
    expect(((await second) as CallToolResult).isError).toBe(true);
    expect(existsSync(file)).toBe(false);
    await one.close();
    await two.close();
  });

  it("binds a session to its key, and ends it within the recheck interval once the key is revoked", async () => {
    const issued = await fixture.countersign.server.issueApiKey({
      role: "agent",
      identity: "temp@example.com",
      agentIds: ["*"],
    });
    const connection = await connectHttp(url, issued.key);
    const sessionId = connection.transport.sessionId!;
    await writeFile(join(fixture.folder, "open.txt"), "open");
    const read = { name: "read_text_file", arguments: { path: join(fixture.folder, "open.txt") } };
    expect(text((await connection.client.callTool(read)) as CallToolResult)).toBe("open");

    // Someone else's key on this session id: the session does not exist for them.
    const hijack = await fetch(url, {
      method: "POST",
      headers: {
        authorization: `Bearer ${fixture.countersign.agentKey}`,
        "mcp-session-id": sessionId,
        "mcp-protocol-version": "2025-06-18",
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: 9, method: "tools/call", params: read }),
    });
    expect(hijack.status).toBe(404);

    await fixture.countersign.store.revokeApiKey(issued.record.keyId, new Date().toISOString());
    await new Promise((resolve) => setTimeout(resolve, 300));
    await expect(connection.client.callTool(read)).rejects.toThrow(/401|accept this key/i);
    await connection.close().catch(() => {});
  });
});

describe("gateway offering the approval link through URL elicitation", () => {
  let fixture: Fixture;
  let running: RunningGateway;

  beforeAll(async () => {
    fixture = await startFixture();
    running = await startGateway({
      config: filesystemConfig(fixture, { elicitation: true }),
      countersignUrl: fixture.countersign.url,
      jwks: fixture.jwksFile,
      http: { port: 0 },
      log: () => {},
      upstreamStderr: "ignore",
    });
  });

  afterAll(async () => {
    await running?.close();
    await fixture?.close();
  });

  it("shows the inbox link, and the client's own answer approves nothing", async () => {
    const connection = await connectHttp(running.http!.url, fixture.countersign.agentKey, {
      capabilities: { elicitation: { url: {} } },
    });
    const offered: ElicitRequestURLParams[] = [];
    connection.client.setRequestHandler(ElicitRequestSchema, async (request) => {
      offered.push(request.params as ElicitRequestURLParams);
      return { action: "accept" };
    });
    const file = join(fixture.folder, "elicited.txt");
    const call = connection.client.callTool({ name: "write_file", arguments: { path: file, content: "x" } });
    const pause = await fixture.pendingPause((data) => data.arguments.path === file);
    for (let tries = 0; offered.length === 0 && tries < 200; tries++)
      await new Promise((r) => setTimeout(r, 25));
    expect(offered).toEqual([
      expect.objectContaining({ mode: "url", elicitationId: pause.pause_id, url: pause.links.inbox }),
    ]);
    // The client said "accept"; the pause is still waiting for an approver, and nothing ran.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const still = await fixture.countersign.server.service.listPauses({ status: "pending", limit: 100 });
    expect(still.items.map((item) => item.pause_id)).toContain(pause.pause_id);
    expect(existsSync(file)).toBe(false);
    await fixture.countersign.reject(pause.pause_id, "not this one");
    expect(((await call) as CallToolResult).isError).toBe(true);
    expect(existsSync(file)).toBe(false);
    await connection.close();
  });
});
