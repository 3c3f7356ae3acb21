import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startTestServer, type TestServer } from "@countersign/core/testing";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../test-support/cli-process.ts";

const CLI = fileURLToPath(new URL("../cli.ts", import.meta.url));
const FILESYSTEM_SERVER = createRequire(import.meta.url).resolve(
  "@modelcontextprotocol/server-filesystem/dist/index.js",
);

let countersign: TestServer;
let dir: string;
let folder: string;
let env: Record<string, string>;

beforeAll(async () => {
  countersign = await startTestServer();
  dir = await mkdtemp(join(tmpdir(), "countersign-mcp-cli-"));
  folder = await mkdtemp(join(tmpdir(), "countersign-mcp-cli-files-"));
  await writeFile(join(dir, "keys.json"), JSON.stringify(countersign.jwks));
  env = {
    COUNTERSIGN_URL: countersign.url,
    COUNTERSIGN_AGENT_KEY: countersign.agentKey,
    COUNTERSIGN_JWKS: join(dir, "keys.json"),
  };
});
afterAll(async () => {
  await countersign.close();
  await rm(dir, { recursive: true, force: true });
  await rm(folder, { recursive: true, force: true });
});

/** The official SDK client, with `countersign mcp …` as its stdio server, as Claude Desktop would start it. */
async function connect(args: string[]): Promise<Client> {
  const client = new Client({ name: "cli-test", version: "1.0.0" });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: ["--conditions=@countersign/source", CLI, "mcp", ...args],
      env: { ...env, PATH: process.env.PATH ?? "" },
      stderr: "pipe",
    }),
  );
  return client;
}

describe("countersign mcp", () => {
  // Each case starts the whole CLI in a process: slow on a busy machine.
  const SLOW = 60_000;

  it(
    "explains itself",
    () => {
      expect(runCli(["mcp", "--help"]).stdout).toContain("countersign mcp gateway");
    },
    SLOW,
  );

  it(
    "refuses a gateway without an upstream or without pinned keys, with exit code 2",
    () => {
      const noUpstream = runCli(["mcp", "gateway"], env);
      expect(noUpstream.code).toBe(2);
      expect(noUpstream.stderr).toContain("Name an upstream");
      const unpinned = runCli(["mcp", "gateway", "--upstream", "node x"], { ...env, COUNTERSIGN_JWKS: "" });
      expect(unpinned.code).toBe(2);
      expect(unpinned.stderr).toContain("Pin Countersign's public keys");
    },
    SLOW,
  );

  it(
    "names the line and field of a bad gateway config",
    async () => {
      const policy = join(dir, "bad.yaml");
      await writeFile(policy, "rules:\n  - tool: write_file\n    decision: maybe\n");
      const result = runCli(["mcp", "gateway", "--upstream", "node x", "--policy", policy], env);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('bad.yaml:3:15 rules.0.decision: must be "allow", "deny" or "require"');
    },
    SLOW,
  );

  it(
    "gateway: the filesystem server writes only after an approval",
    async () => {
      const policy = join(dir, "gateway.yaml");
      await writeFile(
        policy,
        [
          "agent_id: cli-agent",
          "default: require",
          "rules:",
          "  - { name: reads, tool: 'read_*', decision: allow }",
          `recording: { file: ${JSON.stringify(join(dir, "record.jsonl"))} }`,
        ].join("\n"),
      );
      const client = await connect([
        "gateway",
        "--upstream",
        `${JSON.stringify(process.execPath)} ${JSON.stringify(FILESYSTEM_SERVER)} ${JSON.stringify(folder)}`,
        "--policy",
        policy,
      ]);
      try {
        const file = join(folder, "from-cli.txt");
        const call = client.callTool({ name: "write_file", arguments: { path: file, content: "approved" } });
        const pause = await countersign.nextPendingPause();
        expect(pause.agent_id).toBe("cli-agent");
        expect(existsSync(file)).toBe(false);
        await countersign.approve(pause.pause_id);
        expect(((await call) as CallToolResult).isError).toBeFalsy();
        expect(await readFile(file, "utf8")).toBe("approved");
      } finally {
        await client.close();
      }
    },
    SLOW,
  );

  it(
    "approvals: request_approval opens a pause and reports the decision",
    async () => {
      const client = await connect(["approvals", "--agent-id", "self-gating-agent", "--wait", "20"]);
      try {
        const call = client.callTool({
          name: "request_approval",
          arguments: { action_type: "deploy", title: "Deploy api v42", data: { version: 42 } },
        });
        const pause = await countersign.nextPendingPause();
        expect(pause.agent_id).toBe("self-gating-agent");
        await countersign.reject(pause.pause_id, "Change freeze");
        const result = (await call) as CallToolResult;
        expect(result.structuredContent).toMatchObject({
          status: "rejected",
          approved: false,
          reason: "Change freeze",
        });
      } finally {
        await client.close();
      }
    },
    SLOW,
  );
});
