import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { CallToolResult, Progress } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Connected, connectStdio } from "./test-support/connect-client.ts";
import { startEverythingHttp } from "./test-support/everything-http.ts";
import { type Fixture, startFixture } from "./test-support/fixture.ts";
import { text } from "./test-support/results.ts";
import { everythingUpstream, filesystemUpstream } from "./test-support/upstreams.ts";

describe("gateway with two upstreams mounted under prefixes (filesystem + everything)", () => {
  let fixture: Fixture;
  let gateway: Connected;
  let direct: Client;

  beforeAll(async () => {
    fixture = await startFixture();
    gateway = await connectStdio("gateway", {
      config: {
        agent_id: "mixed-agent",
        default: "deny",
        rules: [
          { name: "everything", tool: "every__*", decision: "allow" },
          { name: "reads", tool: "fs__read_*", decision: "allow" },
          { name: "writes", tool: "fs__write_file", decision: "require" },
        ],
        recording: { file: fixture.recordFile },
        upstreams: { fs: filesystemUpstream(fixture.folder), every: everythingUpstream() },
      },
      countersignUrl: fixture.countersign.url,
      jwks: fixture.jwksFile,
      apiKey: fixture.countersign.agentKey,
    });
    direct = new Client({ name: "direct", version: "1.0.0" });
    await direct.connect(new StdioClientTransport({ ...everythingUpstream(), stderr: "ignore" }));
  });

  afterAll(async () => {
    await gateway?.close();
    await direct?.close();
    await fixture?.close();
  });

  it("names every tool with its mount's prefix and routes calls by it", async () => {
    const names = (await gateway.client.listTools()).tools.map((tool) => tool.name);
    expect(names).toContain("fs__write_file");
    expect(names).toContain("fs__read_text_file");
    expect(names).toContain("every__echo");
    expect(names.every((name) => name.startsWith("fs__") || name.startsWith("every__"))).toBe(true);
    const echo = (await gateway.client.callTool({
      name: "every__echo",
      arguments: { message: "hi" },
    })) as CallToolResult;
    expect(echo).toEqual(await direct.callTool({ name: "echo", arguments: { message: "hi" } }));

    const file = join(fixture.folder, "prefixed.txt");
    const call = gateway.client.callTool({
      name: "fs__write_file",
      arguments: { path: file, content: "ok" },
    });
    const pause = await fixture.pendingPause((data) => data.arguments.path === file);
    expect(pause.action.type).toBe("mcp.fs.write_file");
    await fixture.countersign.approve(pause.pause_id);
    expect(((await call) as CallToolResult).isError).toBeFalsy();
    expect(await readFile(file, "utf8")).toBe("ok");
    // A name no mount claims is an unknown tool, not a guess.
    await expect(gateway.client.callTool({ name: "write_file", arguments: {} })).rejects.toThrow(
      /Unknown tool/,
    );
  });

  it("passes resources, resource templates and prompts through", async () => {
    const resources = (await gateway.client.listResources()).resources;
    expect(resources).toEqual((await direct.listResources()).resources);
    const first = resources[0]!;
    expect(await gateway.client.readResource({ uri: first.uri })).toEqual(
      await direct.readResource({ uri: first.uri }),
    );

    const templates = (await gateway.client.listResourceTemplates()).resourceTemplates;
    expect(templates).toEqual((await direct.listResourceTemplates()).resourceTemplates);
    // A templated URI no list named: routed by the template. (Its text carries the time it was made.)
    const dynamic = "demo://resource/dynamic/text/7";
    expect(await gateway.client.readResource({ uri: dynamic })).toEqual({
      contents: [
        {
          uri: dynamic,
          mimeType: "text/plain",
          text: expect.stringMatching(/^Resource 7: This is a plaintext resource created at /),
        },
      ],
    });

    const prompts = (await gateway.client.listPrompts()).prompts.map((prompt) => prompt.name);
    expect(prompts).toContain("every__args-prompt");
    const viaGateway = await gateway.client.getPrompt({
      name: "every__args-prompt",
      arguments: { city: "Lyon" },
    });
    expect(viaGateway).toEqual(await direct.getPrompt({ name: "args-prompt", arguments: { city: "Lyon" } }));

    const completion = await gateway.client.complete({
      ref: { type: "ref/prompt", name: "every__completable-prompt" },
      argument: { name: "department", value: "E" },
    });
    expect(completion).toEqual(
      await direct.complete({
        ref: { type: "ref/prompt", name: "completable-prompt" },
        argument: { name: "department", value: "E" },
      }),
    );
  });

  it("forwards the upstream's progress notifications to the client", async () => {
    const progress: Progress[] = [];
    const result = (await gateway.client.callTool(
      { name: "every__trigger-long-running-operation", arguments: { duration: 1.5, steps: 3 } },
      undefined,
      { onprogress: (update) => progress.push(update) },
    )) as CallToolResult;
    expect(text(result)).toContain("Long running operation completed");
    // The last one leaves right before the result, and SDK 1.x clients drop a progress
    // notification processed after its response (modelcontextprotocol/typescript-sdk#2580):
    // the ones before it must arrive, in order.
    expect(progress.slice(0, 2).map((update) => update.progress)).toEqual([1, 2]);
    expect(progress.every((update) => update.total === 3)).toBe(true);
  });

  it("carries a large result (2 MB) and binary content unchanged", async () => {
    const message = "x".repeat(2 * 1024 * 1024);
    const echo = (await gateway.client.callTool({
      name: "every__echo",
      arguments: { message },
    })) as CallToolResult;
    expect(text(echo)).toBe(`Echo: ${message}`);
    const image = await gateway.client.callTool({ name: "every__get-tiny-image", arguments: {} });
    expect(image).toEqual(await direct.callTool({ name: "get-tiny-image", arguments: {} }));
  });
});

describe("gateway fronting an upstream over Streamable HTTP (--upstream-url)", () => {
  let fixture: Fixture;
  let everything: { url: string; close(): Promise<void> };
  let gateway: Connected;

  beforeAll(async () => {
    fixture = await startFixture();
    everything = await startEverythingHttp();
    gateway = await connectStdio("gateway", {
      config: { default: "allow", recording: { file: fixture.recordFile } },
      upstreams: { urls: [everything.url] },
      countersignUrl: fixture.countersign.url,
      jwks: fixture.jwksFile,
      apiKey: fixture.countersign.agentKey,
    });
  });

  afterAll(async () => {
    await gateway?.close();
    await everything?.close();
    await fixture?.close();
  });

  it("lists and calls the remote upstream's tools", async () => {
    const names = (await gateway.client.listTools()).tools.map((tool) => tool.name);
    expect(names).toContain("echo");
    const echo = (await gateway.client.callTool({
      name: "echo",
      arguments: { message: "over http" },
    })) as CallToolResult;
    expect(text(echo)).toBe("Echo: over http");
    const sum = (await gateway.client.callTool({
      name: "get-sum",
      arguments: { a: 2, b: 40 },
    })) as CallToolResult;
    expect(text(sum)).toContain("42");
  });
});
