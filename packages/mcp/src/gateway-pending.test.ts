import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Connected, connectStdio } from "./test-support/connect-client.ts";
import { type Fixture, filesystemConfig, startFixture } from "./test-support/fixture.ts";
import { meta, text } from "./test-support/results.ts";
import { watchWrites } from "./test-support/write-watch.ts";

describe("gated calls that outlive one tool call (1 s window)", () => {
  let fixture: Fixture;
  let first: Connected;
  let second: Connected;

  beforeAll(async () => {
    fixture = await startFixture();
    const base = filesystemConfig(fixture);
    const config = filesystemConfig(fixture, {
      wait: 1,
      rules: [
        {
          name: "short-lived",
          tool: "write_file",
          when: 'path matches "*short-lived*"',
          decision: "require",
          expires_in: 1,
        },
        ...base.rules,
      ],
    });
    // Two gateway processes for the same client session (a restart, a second replica).
    const options = {
      config,
      countersignUrl: fixture.countersign.url,
      jwks: fixture.jwksFile,
      apiKey: fixture.countersign.agentKey,
      sessionId: "session-shared-by-two-processes",
    };
    [first, second] = await Promise.all([connectStdio("gateway", options), connectStdio("gateway", options)]);
  });

  afterAll(async () => {
    await first?.close();
    await second?.close();
    await fixture?.close();
  });

  it("answers pending, then runs once when the same call comes back after the approval", async () => {
    const file = join(fixture.folder, "later.txt");
    const writes = watchWrites(file);
    const args = { name: "write_file", arguments: { path: file, content: "written later" } };
    const pending = (await first.client.callTool(args)) as CallToolResult;
    expect(pending.isError).toBe(true);
    const pauseId = meta(pending)?.pause_id as string;
    expect(meta(pending)).toMatchObject({ status: "pending", rule: "writes" });
    expect(text(pending)).toContain(`pause ${pauseId}`);
    expect(text(pending)).toContain("call write_file again with exactly the same arguments");
    expect(text(pending)).toContain("Nothing has run yet");
    expect(existsSync(file)).toBe(false);

    // Still pending: asking again lands on the same pause, and still nothing runs.
    const again = (await first.client.callTool(args)) as CallToolResult;
    expect(meta(again)).toMatchObject({ status: "pending", pause_id: pauseId });
    expect(existsSync(file)).toBe(false);

    await fixture.countersign.approve(pauseId);
    const done = (await first.client.callTool(args)) as CallToolResult;
    expect(done.isError).toBeFalsy();
    expect(meta(done)).toMatchObject({ status: "approved", pause_id: pauseId });
    expect(await readFile(file, "utf8")).toBe("written later");
    expect(await writes.count()).toBe(1);
    writes.close();
    const pauses = await fixture.countersign.server.service.listPauses({ limit: 100 });
    expect(pauses.items.filter((pause) => pause.pause_id === pauseId)).toHaveLength(1);
  });

  it("lets only one of two gateway processes use an approval (the claim is the guard)", async () => {
    const source = join(fixture.folder, "invoice-draft.txt");
    const destination = join(fixture.folder, "invoice-sent.txt");
    await writeFile(source, "invoice");
    const args = { name: "move_file", arguments: { source, destination } };
    const pending = (await first.client.callTool(args)) as CallToolResult;
    const pauseId = meta(pending)?.pause_id as string;
    expect(meta(pending)?.status).toBe("pending");
    await fixture.countersign.approve(pauseId);

    const results = (await Promise.all([
      first.client.callTool(args),
      second.client.callTool(args),
    ])) as CallToolResult[];
    const ran = results.filter((result) => !result.isError);
    const refused = results.filter((result) => result.isError);
    expect(ran).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(text(refused[0]!)).toContain("was already used");
    expect(meta(refused[0]!)).toMatchObject({ status: "error", code: "already_claimed", pause_id: pauseId });
    expect(existsSync(source)).toBe(false);
    expect(await readFile(destination, "utf8")).toBe("invoice");
    expect(await fixture.audit(pauseId, "pause.claimed")).toHaveLength(1);
  });

  it("treats an approval request that expired as a rejection", async () => {
    const file = join(fixture.folder, "short-lived.txt");
    const args = { name: "write_file", arguments: { path: file, content: "too late" } };
    const firstAnswer = (await first.client.callTool(args)) as CallToolResult;
    const pauseId = meta(firstAnswer)?.pause_id as string;
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const result = (await first.client.callTool(args)) as CallToolResult;
    expect(result.isError).toBe(true);
    expect(meta(result)).toMatchObject({ status: "expired", pause_id: pauseId });
    expect(text(result)).toContain("expired without a decision, which counts as a rejection");
    expect(existsSync(file)).toBe(false);
    await expect(fixture.countersign.approve(pauseId)).rejects.toThrow();
    expect(existsSync(file)).toBe(false);
  });
});

describe("an approval not used before its proof expires", () => {
  let fixture: Fixture;
  let gateway: Connected;

  beforeAll(async () => {
    fixture = await startFixture({ proofTtlSeconds: 1 });
    gateway = await connectStdio("gateway", {
      config: filesystemConfig(fixture, { wait: 1 }),
      countersignUrl: fixture.countersign.url,
      jwks: fixture.jwksFile,
      apiKey: fixture.countersign.agentKey,
    });
  });

  afterAll(async () => {
    await gateway?.close();
    await fixture?.close();
  });

  it("is spent: nothing runs, and the next identical call asks again", async () => {
    const file = join(fixture.folder, "stale.txt");
    const args = { name: "write_file", arguments: { path: file, content: "late" } };
    const pending = (await gateway.client.callTool(args)) as CallToolResult;
    const pauseId = meta(pending)?.pause_id as string;
    await fixture.countersign.approve(pauseId);
    await new Promise((resolve) => setTimeout(resolve, 1_600));
    const stale = (await gateway.client.callTool(args)) as CallToolResult;
    expect(stale.isError).toBe(true);
    expect(text(stale)).toContain("expired before it was used");
    expect(existsSync(file)).toBe(false);
    const fresh = (await gateway.client.callTool(args)) as CallToolResult;
    expect(meta(fresh)).toMatchObject({ status: "pending" });
    expect(meta(fresh)?.pause_id).not.toBe(pauseId);
    expect(existsSync(file)).toBe(false);
  });
});
