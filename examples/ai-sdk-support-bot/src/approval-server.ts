import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { JwkSet } from "@countersign/core";
import { createApprovalServer, listen, silentLogger, sqliteStore } from "@countersign/core/server";

export interface LocalApprovalServer {
  url: string;
  /** For the bot: opens pauses, claims approvals. */
  agentKey: string;
  /** For the human in this demo (alice@example.com): decides pauses. */
  approverKey: string;
  /** The server's public keys: the bot verifies every decision proof with them. */
  jwks: JwkSet;
  close(): Promise<void>;
}

/**
 * A real Countersign server on 127.0.0.1 over a SQLite file in a temporary
 * folder. In production you run `countersign serve` and give the bot its URL,
 * an agent key and the server's public keys (`GET /v1/keys`) instead.
 */
export async function startApprovalServer(): Promise<LocalApprovalServer> {
  const dataDir = await mkdtemp(join(tmpdir(), "countersign-ai-sdk-"));
  const store = sqliteStore(join(dataDir, "countersign.db"));
  const server = await createApprovalServer({ store, log: silentLogger });
  const listening = await listen(server, { port: 0 });
  const agent = await server.issueApiKey({
    role: "agent",
    identity: "support-bot@example.com",
    agentIds: ["support-bot"],
    name: "support bot",
  });
  const approver = await server.issueApiKey({
    role: "approver",
    identity: "alice@example.com",
    name: "alice",
  });
  return {
    url: listening.url,
    agentKey: agent.key,
    approverKey: approver.key,
    jwks: server.jwks as JwkSet,
    async close() {
      await listening.close();
      await server.close();
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
