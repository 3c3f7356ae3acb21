import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Connected, connectStdio } from "./test-support/connect-client.ts";
import { type Fixture, filesystemConfig, startFixture } from "./test-support/fixture.ts";
import { meta, text } from "./test-support/results.ts";
import { filesystemUpstream } from "./test-support/upstreams.ts";
import { watchWrites } from "./test-support/write-watch.ts";

describe("gateway over stdio in front of the real filesystem server", () => {
  let fixture: Fixture;
  let gateway: Connected;
  let direct: Client;

  beforeAll(async () => {
    fixture = await startFixture();
    gateway = await connectStdio("gateway", {
      config: filesystemConfig(fixture),
      countersignUrl: fixture.countersign.url,
      jwks: fixture.jwksFile,
      apiKey: fixture.countersign.agentKey,
    });
    direct = new Client({ name: "direct", version: "1.0.0" });
    await direct.connect(
      new StdioClientTransport({ ...filesystemUpstream(fixture.folder), stderr: "ignore" }),
    );
  });

  afterAll(async () => {
    await gateway?.close();
    await direct?.close();
    await fixture?.close();
  });

  it("lists the upstream's tools as they are and passes an allowed call through untouched", async () => {
    const viaGateway = await gateway.client.listTools();
    const straight = await direct.listTools();
    expect(viaGateway.tools.map((tool) => tool.name)).toEqual(straight.tools.map((tool) => tool.name));
    const writeTool = viaGateway.tools.find((tool) => tool.name === "write_file");
    expect(writeTool).toEqual(straight.tools.find((tool) => tool.name === "write_file"));

    await writeFile(join(fixture.folder, "notes.txt"), "plain notes\nline two\n");
    const args = { name: "read_text_file", arguments: { path: join(fixture.folder, "notes.txt") } };
    const through = await gateway.client.callTool(args);
    expect(through).toEqual(await direct.callTool(args));
    expect(text(through as CallToolResult)).toBe("plain notes\nline two\n");
  });

  it("writes a gated file only after a human approves, exactly once", async () => {
    const file = join(fixture.folder, "approved.txt");
    const writes = watchWrites(file);
    const call = gateway.client.callTool({ name: "write_file", arguments: { path: file, content: "hello" } });
    const pause = await fixture.pendingPause((data) => data.arguments.path === file);
    expect(pause.action.type).toBe("mcp.fs.write_file");
    expect(pause.action.data).toEqual({
      server: "fs",
      tool: "write_file",
      arguments: { path: file, content: "hello" },
    });
    expect(existsSync(file)).toBe(false);
    await fixture.countersign.approve(pause.pause_id);
    const result = (await call) as CallToolResult;
    expect(result.isError).toBeFalsy();
    expect(text(result)).toContain("Successfully wrote");
    expect(meta(result)).toMatchObject({
      status: "approved",
      pause_id: pause.pause_id,
      decided_by: "alice@example.com",
    });
    expect(await readFile(file, "utf8")).toBe("hello");
    expect(await writes.count()).toBe(1);
    writes.close();
    expect(await fixture.audit(pause.pause_id, "pause.claimed")).toHaveLength(1);
    // How it ended is on the pause and in Countersign's audit log, as a signed receipt.
    expect(await fixture.audit(pause.pause_id, "pause.executed")).toHaveLength(1);
    const executed = await fixture.countersign.server.service.getPause(pause.pause_id);
    expect(executed?.execution).toMatchObject({ outcome: "succeeded", reported_by: { kind: "agent" } });
  });

  it("runs the approver's edited arguments, not the requested ones", async () => {
    const file = join(fixture.folder, "edited.txt");
    const call = gateway.client.callTool({
      name: "write_file",
      arguments: { path: file, content: "pay 9000" },
    });
    const pause = await fixture.pendingPause((data) => data.arguments.path === file);
    await fixture.countersign.approve(pause.pause_id, {
      data: { server: "fs", tool: "write_file", arguments: { path: file, content: "pay 900" } },
    });
    const result = (await call) as CallToolResult;
    expect(result.isError).toBeFalsy();
    expect(await readFile(file, "utf8")).toBe("pay 900");
  });

  it("refuses an approval whose edits name another tool", async () => {
    const file = join(fixture.folder, "retargeted.txt");
    const call = gateway.client.callTool({ name: "write_file", arguments: { path: file, content: "x" } });
    const pause = await fixture.pendingPause((data) => data.arguments.path === file);
    await fixture.countersign.approve(pause.pause_id, {
      data: { server: "fs", tool: "move_file", arguments: { source: file, destination: `${file}.moved` } },
    });
    const result = (await call) as CallToolResult;
    expect(result.isError).toBe(true);
    expect(meta(result)).toMatchObject({ status: "error", code: "proof_mismatch" });
    expect(existsSync(file)).toBe(false);
    expect(await fixture.audit(pause.pause_id, "pause.claimed")).toHaveLength(0);
  });

  it("does not write when the approver rejects, and tells the model why", async () => {
    const file = join(fixture.folder, "rejected.txt");
    const call = gateway.client.callTool({
      name: "write_file",
      arguments: { path: file, content: "rm -rf" },
    });
    const pause = await fixture.pendingPause((data) => data.arguments.path === file);
    await fixture.countersign.reject(pause.pause_id, "Not during the freeze");
    const result = (await call) as CallToolResult;
    expect(result.isError).toBe(true);
    expect(text(result)).toContain("Rejected by alice@example.com: Not during the freeze");
    expect(meta(result)).toMatchObject({ status: "rejected", reason: "Not during the freeze" });
    expect(existsSync(file)).toBe(false);
    expect(await fixture.audit(pause.pause_id, "pause.claimed")).toHaveLength(0);
  });

  it("denies a call a gateway rule forbids without asking anyone or touching the upstream", async () => {
    const file = join(fixture.folder, "secret-plans.txt");
    const before = await fixture.countersign.server.service.listPauses({ limit: 100 });
    const result = (await gateway.client.callTool({
      name: "write_file",
      arguments: { path: file, content: "x" },
    })) as CallToolResult;
    expect(result.isError).toBe(true);
    expect(text(result)).toContain("rule no-secret-files");
    expect(text(result)).toContain("Secret files are written by people, not agents");
    expect(existsSync(file)).toBe(false);
    const after = await fixture.countersign.server.service.listPauses({ limit: 100 });
    expect(after.items).toHaveLength(before.items.length);
    // A tool no rule names follows the default (deny here).
    const edit = (await gateway.client.callTool({
      name: "create_directory",
      arguments: { path: join(fixture.folder, "new-dir") },
    })) as CallToolResult;
    expect(edit.isError).toBe(true);
    expect(text(edit)).toContain("rule default");
    expect(existsSync(join(fixture.folder, "new-dir"))).toBe(false);
  });

  it("masks secrets in a read result and records that it did, never what", async () => {
    const card = "4242 4242 4242 4242";
    const apiKey = "sk_live_51HxAbCdEfGhIjKlMnOpQrSt";
    const email = "jane.doe@example.org";
    const password = "hunter2-but-longer";
    const notes = join(fixture.folder, "customer.txt");
    await writeFile(notes, `Card ${card}, key ${apiKey}, contact ${email}. Order 1234567890123 ships.`);
    const config = join(fixture.folder, "config.json");
    await writeFile(config, JSON.stringify({ db: { user: "app", password }, port: 5432 }, null, 2));

    const read = (await gateway.client.callTool({
      name: "read_text_file",
      arguments: { path: notes },
    })) as CallToolResult;
    const shown = text(read);
    expect(shown).toBe(
      "Card [masked:card_number], key [masked:api_key], contact [masked:email]. Order 1234567890123 ships.",
    );
    expect(read.structuredContent).toEqual({ content: shown });
    const straight = (await direct.callTool({
      name: "read_text_file",
      arguments: { path: notes },
    })) as CallToolResult;
    expect(text(straight)).toContain(card);

    const json = (await gateway.client.callTool({
      name: "read_text_file",
      arguments: { path: config },
    })) as CallToolResult;
    expect(JSON.parse(text(json))).toEqual({ db: { user: "app", password: "[masked]" }, port: 5432 });

    const isMasked = (event: Record<string, unknown>) => event.type === "result.masked";
    const recorded = await fixture.records((events) => events.filter(isMasked).length >= 2);
    const masked = recorded.filter(isMasked);
    expect(masked.length).toBeGreaterThanOrEqual(2);
    expect(masked[0]).toMatchObject({
      tool: "read_text_file",
      server: "fs",
      masked: expect.arrayContaining([
        { rule: "secrets", matcher: "card_number", count: 2 },
        { rule: "secrets", matcher: "api_key", count: 2 },
        { rule: "secrets", matcher: "email", count: 2 },
      ]),
    });
    const raw = JSON.stringify(recorded);
    for (const secret of [card, apiKey, email, password]) expect(raw).not.toContain(secret);
  });

  it("answers an identical call after the approved one ran with that run's result, without writing again", async () => {
    const file = join(fixture.folder, "replayed.txt");
    const args = { name: "write_file", arguments: { path: file, content: "approved content" } };
    const first = gateway.client.callTool(args);
    const pause = await fixture.pendingPause((data) => data.arguments.path === file);
    await fixture.countersign.approve(pause.pause_id);
    expect(((await first) as CallToolResult).isError).toBeFalsy();

    // Someone changes the file afterwards; a second write would overwrite it.
    await writeFile(file, "changed by a person");
    const writes = watchWrites(file);
    const replay = (await gateway.client.callTool(args)) as CallToolResult;
    expect(replay.isError).toBeFalsy();
    expect(text(replay)).toContain("it was not run again");
    expect(meta(replay)).toMatchObject({ status: "replayed", pause_id: pause.pause_id });
    expect(await readFile(file, "utf8")).toBe("changed by a person");
    expect(await writes.count()).toBe(0);
    writes.close();
    expect(await fixture.audit(pause.pause_id, "pause.claimed")).toHaveLength(1);
  });

  it("runs a call sent twice at once only once", async () => {
    const source = join(fixture.folder, "draft.txt");
    const destination = join(fixture.folder, "final.txt");
    await writeFile(source, "draft");
    const args = { name: "move_file", arguments: { source, destination } };
    const both = Promise.all([gateway.client.callTool(args), gateway.client.callTool(args)]);
    const pause = await fixture.pendingPause((data) => data.arguments.source === source);
    await fixture.countersign.approve(pause.pause_id);
    const [one, two] = (await both) as CallToolResult[];
    // A second move would have failed (the source is gone) and shown up as an error.
    expect(one!.isError).toBeFalsy();
    expect(two!.isError).toBeFalsy();
    expect(one!.content).toEqual(two!.content);
    expect(existsSync(source)).toBe(false);
    expect(await readFile(destination, "utf8")).toBe("draft");
    const pauses = await fixture.countersign.server.service.listPauses({ limit: 100 });
    expect(
      pauses.items.filter((item) => (item.action.data as { tool?: string }).tool === "move_file"),
    ).toHaveLength(1);
    expect(await fixture.audit(pause.pause_id, "pause.claimed")).toHaveLength(1);
  });
});
