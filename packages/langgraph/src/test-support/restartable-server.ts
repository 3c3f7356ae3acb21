import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { JwkSet, Pause } from "@countersign/core";
import {
  type ApprovalServer,
  createApprovalServer,
  type Listening,
  listen,
  type Store,
  silentLogger,
  sqliteStore,
} from "@countersign/core/server";

/** A real server over a SQLite file that can be stopped and started again on the same file and port. */
export interface RestartableServer {
  url: string;
  agentKey: string;
  jwks: JwkSet;
  approve(pauseId: string): Promise<Pause>;
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

export async function startRestartableServer(): Promise<RestartableServer> {
  const dataDir = await mkdtemp(join(tmpdir(), "countersign-restart-"));
  const path = join(dataDir, "countersign.db");
  let store: Store;
  let server: ApprovalServer;
  let listening: Listening | undefined;
  let port = 0;

  async function start() {
    store = sqliteStore(path);
    server = await createApprovalServer({ store, log: silentLogger });
    listening = await listen(server, { port });
    port = listening.port;
  }
  async function stop() {
    await listening?.close();
    listening = undefined;
    await server.close();
    await store.close().catch(() => {});
  }

  await start();
  const agentKey = (
    await server!.issueApiKey({
      role: "agent",
      identity: "owner@example.com",
      name: "agent",
      agentIds: ["*"],
    })
  ).key;
  const approverKey = (
    await server!.issueApiKey({ role: "approver", identity: "alice@example.com", name: "alice" })
  ).key;
  const url = listening!.url;
  return {
    url,
    agentKey,
    jwks: server!.jwks as JwkSet,
    async approve(pauseId) {
      const response = await fetch(`${url}/v1/pauses/${pauseId}/decision`, {
        method: "POST",
        headers: { authorization: `Bearer ${approverKey}`, "content-type": "application/json" },
        body: JSON.stringify({ decision: "approve" }),
      });
      if (!response.ok) throw new Error(`approve failed: ${response.status} ${await response.text()}`);
      return (await response.json()) as Pause;
    },
    stop,
    start,
    async close() {
      if (listening) await stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
