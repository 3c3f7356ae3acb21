import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Pause } from "@countersign/core";
import { startTestServer, type TestServer, type TestServerOptions } from "@countersign/core/testing";
import { filesystemUpstream } from "./upstreams.ts";

export interface Fixture {
  countersign: TestServer;
  /** The folder the filesystem server may touch. */
  folder: string;
  /** Where the pinned JWKS and the gateway's record live. */
  work: string;
  jwksFile: string;
  recordFile: string;
  /**
   * The gateway's JSON Lines record, parsed. The gateway (often another process) appends
   * without blocking the call, so with `until` this waits for the record to satisfy it.
   */
  records(
    until?: (events: Record<string, unknown>[]) => boolean,
    timeoutMs?: number,
  ): Promise<Record<string, unknown>[]>;
  /** The pending pause whose tool call matches, once the gateway has opened it. */
  pendingPause(match: (data: ToolCallData) => boolean, timeoutMs?: number): Promise<Pause>;
  /** Audit events of one type for a pause (admin key, through the API). */
  audit(pauseId: string, type: string): Promise<unknown[]>;
  close(): Promise<void>;
}

export interface ToolCallData {
  server: string;
  tool: string;
  arguments: Record<string, unknown>;
}

/** A real Countersign server on loopback, a temp folder for the filesystem server, a pinned JWKS file. */
export async function startFixture(options: TestServerOptions = {}): Promise<Fixture> {
  const countersign = await startTestServer(options);
  const folder = await mkdtemp(join(tmpdir(), "countersign-mcp-files-"));
  const work = await mkdtemp(join(tmpdir(), "countersign-mcp-work-"));
  const jwksFile = join(work, "countersign-keys.json");
  await writeFile(jwksFile, JSON.stringify(countersign.jwks));
  const recordFile = join(work, "gateway.jsonl");
  return {
    countersign,
    folder,
    work,
    jwksFile,
    recordFile,
    async records(until = () => true, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const text = await readFile(recordFile, "utf8").catch(() => "");
        const events = text
          .split("\n")
          .filter(Boolean)
          .map((line) => JSON.parse(line) as Record<string, unknown>);
        if (until(events) || Date.now() > deadline) return events;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    async pendingPause(match, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const page = await countersign.server.service.listPauses({ status: "pending", limit: 100 });
        const found = page.items.find((pause) => match(pause.action.data as unknown as ToolCallData));
        if (found) return found;
        if (Date.now() > deadline) throw new Error("the gateway opened no matching pause in time");
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    async audit(pauseId, type) {
      const response = await fetch(`${countersign.url}/v1/audit?pause_id=${pauseId}&type=${type}`, {
        headers: { authorization: `Bearer ${countersign.adminKey}` },
      });
      const body = (await response.json()) as { data: unknown[] };
      return body.data;
    },
    async close() {
      await countersign.close();
      await rm(folder, { recursive: true, force: true });
      await rm(work, { recursive: true, force: true });
    },
  };
}

/** The gateway config the filesystem tests use: reads pass, writes and moves need a human. */
export function filesystemConfig(fixture: Fixture, overrides: Record<string, unknown> = {}) {
  return {
    agent_id: "files-agent",
    wait: 20,
    default: "deny",
    rules: [
      {
        name: "reads",
        tool: ["read_*", "list_*", "get_file_info", "directory_tree", "search_files"],
        decision: "allow",
      },
      {
        name: "no-secret-files",
        tool: "write_file",
        when: 'path matches "*secret*"',
        decision: "deny",
        reason: "Secret files are written by people, not agents",
      },
      { name: "writes", tool: ["write_file", "move_file"], decision: "require", risk: "high" },
    ],
    masking: [
      { name: "secrets", patterns: ["card_number", "api_key", "email"] },
      { name: "json-secrets", tool: "read_*", paths: ["$..password"] },
    ],
    recording: { file: fixture.recordFile, ungated: true },
    upstreams: { fs: filesystemUpstream(fixture.folder) },
    ...overrides,
  };
}
