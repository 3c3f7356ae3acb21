import { randomUUID } from "node:crypto";
import { resolve } from "node:path";
import type { Readable, Writable } from "node:stream";
import { CountersignError, type FetchFunction } from "@countersign/core";
import type { GatewayConfig } from "../config/gateway-config-schema.ts";
import { loadGatewayConfig, validateGatewayConfig } from "../config/load-gateway-config.ts";
import { type UpstreamFlags, upstreamSpecs } from "../config/upstream-specs.ts";
import { keyChecker, resolveCountersignSettings } from "../countersign/countersign-settings.ts";
import { type HttpServing, serveStreamableHttp } from "../transports/serve-http.ts";
import { serveStdio } from "../transports/serve-stdio.ts";
import { createGateway, type Gateway } from "./create-gateway.ts";
import { type GatewayRecorder, jsonlRecorder } from "./recorder.ts";

export interface StartGatewayOptions {
  /** The gateway config file (YAML or JSON): rules, masking, upstreams. */
  configFile?: string;
  /** Or the config itself (validated again here). */
  config?: unknown;
  upstreams?: UpstreamFlags;
  countersignUrl?: string;
  jwks?: string;
  trustServerKeys?: boolean;
  /** Serve Streamable HTTP on this port (0: any free port); stdio when absent. */
  http?: { port: number; host?: string; recheckMs?: number };
  /** stdio only: the session idempotency keys derive from. Default: a new id per process. */
  sessionId?: string;
  /** stdio only: the agent key. Default `COUNTERSIGN_AGENT_KEY`. */
  apiKey?: string;
  env?: NodeJS.ProcessEnv;
  recorder?: GatewayRecorder;
  fetch?: FetchFunction;
  log?: (message: string) => void;
  /** Where stdio upstreams' stderr goes. Default `inherit`. */
  upstreamStderr?: "inherit" | "ignore";
  /** While a gated call waits, how often a client that asked for progress gets a notification. Default 5 000 ms. */
  progressIntervalMs?: number;
  stdin?: Readable;
  stdout?: Writable;
}

export interface RunningGateway {
  gateway: Gateway;
  config: GatewayConfig;
  /** Set when serving Streamable HTTP. */
  http?: HttpServing;
  /** Resolves when a stdio client goes away; never for HTTP. */
  done: Promise<void>;
  close(): Promise<void>;
}

/** Loads the config, connects the upstreams and serves the gateway over stdio or Streamable HTTP. */
export async function startGateway(options: StartGatewayOptions): Promise<RunningGateway> {
  const env = options.env ?? process.env;
  const log =
    options.log ?? ((message: string) => process.stderr.write(`countersign mcp gateway: ${message}\n`));
  const loaded = options.configFile
    ? await loadGatewayConfig(options.configFile)
    : { config: validateGatewayConfig(options.config), baseDir: process.cwd() };
  const { config, baseDir } = loaded;
  const settings = await resolveCountersignSettings({
    url: options.countersignUrl ?? config.countersign.url,
    jwks: options.jwks ?? config.countersign.jwks,
    trustServerKeys: options.trustServerKeys ?? config.countersign.trust_server_keys,
    baseDir,
    env,
    ...(options.fetch && { fetch: options.fetch }),
  });
  if (settings.trustedKeys.source === "server") {
    log(
      "verifying proofs with keys fetched from the Countersign server (--trust-server-keys); pin them with --jwks instead",
    );
  }
  if (config.default === "allow") log("default: allow — tools no rule names run without approval");
  const apiKey = options.http ? undefined : (options.apiKey ?? env.COUNTERSIGN_AGENT_KEY);
  if (!options.http && !apiKey) {
    throw new CountersignError("invalid_request", "Give the Countersign agent key in COUNTERSIGN_AGENT_KEY");
  }
  const recorder =
    options.recorder ??
    jsonlRecorder(resolve(baseDir, config.recording.file ?? ".countersign/mcp-gateway.jsonl"), (error) =>
      log(`recording failed: ${error instanceof Error ? error.message : String(error)}`),
    );
  const gateway = await createGateway({
    config,
    upstreams: upstreamSpecs(config, options.upstreams ?? {}, { env, baseDir }),
    countersignUrl: settings.url,
    trustedKeys: settings.trustedKeys,
    recorder,
    log,
    ...(options.fetch && { fetch: options.fetch }),
    ...(options.upstreamStderr && { upstreamStderr: options.upstreamStderr }),
    ...(options.progressIntervalMs !== undefined && { progressIntervalMs: options.progressIntervalMs }),
  });

  if (options.http) {
    const http = await serveStreamableHttp({
      port: options.http.port,
      ...(options.http.host && { host: options.http.host }),
      ...(options.http.recheckMs !== undefined && { recheckMs: options.http.recheckMs }),
      authenticate: keyChecker(settings.url, options.fetch),
      createSession: (key, sessionId) => gateway.createSession({ apiKey: key, sessionId }),
    });
    return {
      gateway,
      config,
      http,
      done: new Promise(() => {}),
      async close() {
        await http.close();
        await gateway.close();
      },
    };
  }
  const server = gateway.createSession({ apiKey: apiKey!, sessionId: options.sessionId ?? randomUUID() });
  const done = serveStdio(server, {
    ...(options.stdin && { stdin: options.stdin }),
    ...(options.stdout && { stdout: options.stdout }),
  }).then(() => gateway.close());
  return { gateway, config, done, close: () => gateway.close() };
}
