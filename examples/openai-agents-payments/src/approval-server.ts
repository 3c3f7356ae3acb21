import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { JwkSet } from "@countersign/core";
import { createApprovalServer, listen, silentLogger, sqliteStore } from "@countersign/core/server";

export interface LocalApprovalServer {
  url: string;
  /** For the agent: opens pauses, claims approvals. */
  agentKey: string;
  /** For the human in this demo (alice@example.com): decides pauses. */
  approverKey: string;
  webhookSecret: string;
  /**
   * The server's public keys. Agents pin them (here handed over in-process; in
   * production saved once with `countersign keys jwks` and given as a file or
   * `COUNTERSIGN_JWKS`), never fetched from whoever answers at the URL.
   */
  jwks: JwkSet;
  close(): Promise<void>;
}

/**
 * A real Countersign server on 127.0.0.1 over a SQLite file in a temporary
 * folder. In production you run `countersign serve` and give the agent its URL
 * and an agent key instead.
 */
export async function startApprovalServer(): Promise<LocalApprovalServer> {
  const dataDir = await mkdtemp(join(tmpdir(), "countersign-openai-agents-"));
  const store = sqliteStore(join(dataDir, "countersign.db"));
  const server = await createApprovalServer({
    store,
    log: silentLogger,
    // The demo's webhook receiver listens on loopback, which is refused by default (SSRF).
    webhooks: { allowPrivateTargets: true, intervalMs: 50 },
  });
  const listening = await listen(server, { port: 0 });
  const agent = await server.issueApiKey({
    role: "agent",
    identity: "billing-bot@example.com",
    agentIds: ["billing-agent"],
    name: "billing agent",
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
    webhookSecret: server.secrets.webhookSecret,
    jwks: server.jwks as JwkSet,
    async close() {
      await listening.close();
      await server.close();
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
