import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CountersignError } from "../errors/countersign-error.ts";
import type { ErrorCode } from "../errors/error-codes.ts";
import type { ActionData } from "../protocol/action.ts";
import type { JwkSet } from "../protocol/keys.ts";
import type { Pause } from "../protocol/pause.ts";
import type { ChannelPlugin } from "../server/channel-plugin.ts";
import { type ApprovalServer, createApprovalServer } from "../server/create-approval-server.ts";
import { silentLogger } from "../server/json-logger.ts";
import { listen } from "../server/node-listener.ts";
import type { PolicyHook } from "../server/policy-hook.ts";
import type { ApprovalServerOptions } from "../server/server-options.ts";
import { sqliteStore } from "../store/sqlite/index.ts";
import type { Store } from "../store/store.ts";

export interface TestServer {
  url: string;
  /** Role agent, bound to every agent id (`*`) unless `agentIds` says otherwise; its owner identity is `agent-owner@example.com`. */
  agentKey: string;
  /** Role approver, identity `alice@example.com`. */
  approverKey: string;
  /** Role approver, identity `bob@example.com`. */
  secondApproverKey: string;
  adminKey: string;
  /** Role executor (a service where the action happens), identity `payments-service`. */
  executorKey: string;
  proofSecret: string;
  webhookSecret: string;
  jwks: JwkSet;
  server: ApprovalServer;
  /** The SQLite store under the server (close it to simulate an outage). */
  store: Store;
  dataDir: string;
  approve(pauseId: string, options?: { reason?: string; data?: ActionData; apiKey?: string }): Promise<Pause>;
  reject(pauseId: string, reason: string, options?: { apiKey?: string }): Promise<Pause>;
  /** Waits until a pending pause exists and returns the newest. */
  nextPendingPause(options?: { timeoutMs?: number }): Promise<Pause>;
  close(): Promise<void>;
}

export interface TestServerOptions {
  channels?: ChannelPlugin[];
  policy?: PolicyHook;
  now?: () => Date;
  proofTtlSeconds?: number;
  /** The agent ids the test agent key is bound to. Default `["*"]`. */
  agentIds?: string[];
  /** Anything else for `createApprovalServer` (store and logger are the test server's). */
  serverOptions?: Partial<Omit<ApprovalServerOptions, "store">>;
}

/** A real approval server on 127.0.0.1 (port 0) over a temporary SQLite file, with one key per role. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = await mkdtemp(join(tmpdir(), "countersign-test-"));
  const store = sqliteStore(join(dataDir, "countersign.db"));
  const server = await createApprovalServer({
    store,
    log: silentLogger,
    webhooks: { allowPrivateTargets: true, intervalMs: 50 },
    expirySweepMs: 100,
    ...(options.channels && { channels: options.channels }),
    ...(options.policy && { policy: options.policy }),
    ...(options.now && { now: options.now }),
    ...(options.proofTtlSeconds !== undefined && { proofTtlSeconds: options.proofTtlSeconds }),
    ...options.serverOptions,
  });
  const listening = await listen(server, { port: 0 });
  const issue = async (role: "agent" | "approver" | "admin" | "executor", identity: string) =>
    (
      await server.issueApiKey({
        role,
        identity,
        name: `test ${role}`,
        ...(role === "agent" && { agentIds: options.agentIds ?? ["*"] }),
      })
    ).key;
  const agentKey = await issue("agent", "agent-owner@example.com");
  const approverKey = await issue("approver", "alice@example.com");
  const secondApproverKey = await issue("approver", "bob@example.com");
  const adminKey = await issue("admin", "admin@example.com");
  const executorKey = await issue("executor", "payments-service");

  async function decide(pauseId: string, body: Record<string, unknown>, apiKey: string): Promise<Pause> {
    const response = await fetch(`${listening.url}/v1/pauses/${pauseId}/decision`, {
      method: "POST",
      headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const json = (await response.json()) as Record<string, unknown>;
    if (!response.ok) {
      throw new CountersignError((json.code as ErrorCode) ?? "server_error", String(json.detail), {
        status: response.status,
        pauseId,
      });
    }
    return json as unknown as Pause;
  }

  return {
    url: listening.url,
    agentKey,
    approverKey,
    secondApproverKey,
    adminKey,
    executorKey,
    proofSecret: server.secrets.proofSecret,
    webhookSecret: server.secrets.webhookSecret,
    jwks: server.jwks as JwkSet,
    server,
    store,
    dataDir,
    approve: (pauseId, approveOptions = {}) =>
      decide(
        pauseId,
        {
          decision: "approve",
          ...(approveOptions.reason !== undefined && { reason: approveOptions.reason }),
          ...(approveOptions.data !== undefined && { data: approveOptions.data }),
        },
        approveOptions.apiKey ?? approverKey,
      ),
    reject: (pauseId, reason, rejectOptions = {}) =>
      decide(pauseId, { decision: "reject", reason }, rejectOptions.apiKey ?? approverKey),
    async nextPendingPause(waitOptions = {}) {
      const deadline = Date.now() + (waitOptions.timeoutMs ?? 10_000);
      for (;;) {
        const page = await server.service.listPauses({ status: "pending", limit: 1 });
        if (page.items[0]) return page.items[0];
        if (Date.now() > deadline) throw new Error("no pending pause appeared in time");
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async close() {
      await listening.close();
      await server.close();
      await store.close().catch(() => {});
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
