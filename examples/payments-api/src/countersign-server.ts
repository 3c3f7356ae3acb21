import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { JwkSet } from "@countersign/core";
import { createApprovalServer, listen, silentLogger, sqliteStore } from "@countersign/core/server";

export interface LocalCountersign {
  url: string;
  /** The agent's key: opens pauses. */
  agentKey: string;
  /** The human's key (alice@example.com): decides. */
  approverKey: string;
  /** The payment service's key: reads, claims and reports receipts, nothing else. */
  executorKey: string;
  adminKey: string;
  /** Public keys, pinned by the agent and by the payment service (in production: `countersign keys jwks`). */
  jwks: JwkSet;
  close(): Promise<void>;
}

/** A real Countersign server on 127.0.0.1 over a SQLite file. In production: `countersign serve`. */
export async function startCountersign(): Promise<LocalCountersign> {
  const dataDir = await mkdtemp(join(tmpdir(), "countersign-payments-"));
  const store = sqliteStore(join(dataDir, "countersign.db"));
  const server = await createApprovalServer({ store, log: silentLogger });
  const listening = await listen(server, { port: 0 });
  const issue = async (role: "agent" | "approver" | "executor" | "admin", identity: string) =>
    (
      await server.issueApiKey({
        role,
        identity,
        ...(role === "agent" && { agentIds: ["billing-agent"] }),
      })
    ).key;
  return {
    url: listening.url,
    agentKey: await issue("agent", "finance-bots@example.com"),
    approverKey: await issue("approver", "alice@example.com"),
    executorKey: await issue("executor", "payments-service"),
    adminKey: await issue("admin", "admin@example.com"),
    jwks: server.jwks as JwkSet,
    async close() {
      await listening.close();
      await server.close();
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
