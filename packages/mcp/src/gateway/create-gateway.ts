import { createClient, type FetchFunction } from "@countersign/core";
import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import type { Notification, ServerCapabilities } from "@modelcontextprotocol/sdk/types.js";
import type { GatewayConfig } from "../config/gateway-config-schema.ts";
import type { TrustedKeys } from "../countersign/trusted-keys.ts";
import { createMasker } from "../masking/create-masker.ts";
import { compileToolPolicy } from "../policy/tool-policy.ts";
import { PACKAGE_VERSION } from "../version.ts";
import { createCallLedger } from "./call-ledger.ts";
import type { GatewayRuntime } from "./gateway-runtime.ts";
import { createGatewayServer, type SessionOptions } from "./gateway-server.ts";
import { createMounts } from "./mounts.ts";
import type { GatewayRecorder } from "./recorder.ts";
import { connectUpstream, type Upstream, type UpstreamSpec } from "./upstream.ts";

export interface GatewayOptions {
  config: GatewayConfig;
  upstreams: UpstreamSpec[];
  /** The Countersign server the gateway asks, as an agent. */
  countersignUrl: string;
  /** Proofs are verified with these (pinned, unless the operator opted in to the server's). */
  trustedKeys: TrustedKeys;
  recorder: GatewayRecorder;
  fetch?: FetchFunction;
  /** Settled results answer identical calls for this long. Default: the config's `replay_window`. */
  replayWindowMs?: number;
  log?: (message: string) => void;
  /** Where stdio upstreams' stderr goes. Default `inherit`. */
  upstreamStderr?: "inherit" | "ignore";
  /** While a gated call waits, how often a client that asked for progress gets a notification. Default 5 000 ms. */
  progressIntervalMs?: number;
}

export interface Gateway {
  runtime: GatewayRuntime;
  /** A new MCP server for one client session; connect it to a transport. */
  createSession(options: SessionOptions): Server;
  close(): Promise<void>;
}

// Notifications an upstream sends on its own that every client session should hear.
const BROADCAST = new Set([
  "notifications/tools/list_changed",
  "notifications/prompts/list_changed",
  "notifications/resources/list_changed",
  "notifications/resources/updated",
  "notifications/message",
]);

/**
 * Connects to every upstream and returns a gateway whose sessions expose
 * their tools, resources and prompts, with every tool call going through the
 * policy: allowed calls pass straight through (masked), denied calls never
 * reach the upstream, and calls that require approval run only with a
 * verified, claimed Countersign approval.
 */
export async function createGateway(options: GatewayOptions): Promise<Gateway> {
  checkMounts(options.upstreams);
  const log = options.log ?? (() => {});
  const sessions = new Set<Server>();
  let closing = false;
  const broadcast = (upstream: string, notification: Notification) => {
    if (!BROADCAST.has(notification.method)) return;
    for (const session of sessions) {
      session.notification(notification as Parameters<Server["notification"]>[0]).catch((error: unknown) => {
        log(`forwarding ${notification.method} from ${upstream} failed: ${String(error)}`);
      });
    }
  };
  const upstreams: Upstream[] = [];
  try {
    for (const spec of options.upstreams) {
      upstreams.push(
        await connectUpstream(spec, {
          version: PACKAGE_VERSION,
          ...(options.upstreamStderr && { stderr: options.upstreamStderr }),
          onNotification: broadcast,
          onClose: (name) => {
            if (!closing)
              log(`upstream "${name}" closed its connection; its tools fail until the gateway restarts`);
          },
        }),
      );
    }
  } catch (error) {
    await Promise.all(upstreams.map((upstream) => upstream.close().catch(() => {})));
    throw error;
  }

  const { config } = options;
  const masker = createMasker(config.masking);
  const clients = new Map<string, ReturnType<typeof createClient>>();
  const runtime: GatewayRuntime = {
    version: PACKAGE_VERSION,
    mounts: createMounts(upstreams),
    capabilities: capabilitiesOf(upstreams),
    instructions: instructionsOf(upstreams),
    policy: compileToolPolicy(config),
    masker,
    maskingRulesFor: (tool, server) => masker.appliesTo({ tool, server }).rules,
    recorder: options.recorder,
    recordUngated: config.recording.ungated,
    ledger: createCallLedger(options.replayWindowMs ?? config.replay_window * 1000),
    trustedKeys: options.trustedKeys,
    agentId: config.agent_id,
    waitMs: config.wait * 1000,
    elicitation: config.elicitation,
    progressIntervalMs: options.progressIntervalMs ?? 5_000,
    countersignFor(apiKey) {
      let client = clients.get(apiKey);
      if (!client) {
        client = createClient({
          baseUrl: options.countersignUrl,
          apiKey,
          userAgent: `countersign-mcp-gateway/${PACKAGE_VERSION}`,
          ...(options.fetch && { fetch: options.fetch }),
        });
        clients.set(apiKey, client);
      }
      return client;
    },
  };
  return {
    runtime,
    createSession(session) {
      const server = createGatewayServer(runtime, session);
      sessions.add(server);
      const previous = server.onclose;
      server.onclose = () => {
        sessions.delete(server);
        previous?.();
      };
      return server;
    },
    async close() {
      closing = true;
      await Promise.all([...sessions].map((session) => session.close().catch(() => {})));
      await Promise.all(upstreams.map((upstream) => upstream.close().catch(() => {})));
      await options.recorder.flush();
    },
  };
}

function checkMounts(specs: readonly UpstreamSpec[]): void {
  if (specs.length === 0) throw new Error("The gateway needs at least one upstream");
  const names = new Set<string>();
  const prefixes = new Set<string>();
  for (const spec of specs) {
    if (names.has(spec.name)) throw new Error(`Two upstreams are named "${spec.name}"`);
    names.add(spec.name);
    if (prefixes.has(spec.prefix)) {
      throw new Error(
        spec.prefix === ""
          ? "Only one upstream can be mounted without a prefix"
          : `Two upstreams use the prefix "${spec.prefix}"`,
      );
    }
    prefixes.add(spec.prefix);
  }
}

function capabilitiesOf(upstreams: readonly Upstream[]): ServerCapabilities {
  const has = (key: keyof ServerCapabilities) => upstreams.some((upstream) => upstream.capabilities[key]);
  return {
    tools: { listChanged: true },
    ...(has("resources") && {
      resources: {
        listChanged: true,
        subscribe: upstreams.some((upstream) => upstream.capabilities.resources?.subscribe),
      },
    }),
    ...(has("prompts") && { prompts: { listChanged: true } }),
    ...(has("completions") && { completions: {} }),
    ...(has("logging") && { logging: {} }),
  };
}

function instructionsOf(upstreams: readonly Upstream[]): string | undefined {
  const parts = upstreams
    .map((upstream) => ({ name: upstream.name, text: upstream.client.getInstructions() }))
    .filter((part): part is { name: string; text: string } => Boolean(part.text));
  if (parts.length === 0) return undefined;
  if (parts.length === 1) return parts[0]!.text;
  return parts.map((part) => `## ${part.name}\n\n${part.text}`).join("\n\n");
}
