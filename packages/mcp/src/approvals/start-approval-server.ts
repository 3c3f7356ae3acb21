import { randomUUID } from "node:crypto";
import type { Readable, Writable } from "node:stream";
import { CountersignError, createClient, type FetchFunction } from "@countersign/core";
import { keyChecker, resolveCountersignSettings } from "../countersign/countersign-settings.ts";
import { type HttpServing, serveStreamableHttp } from "../transports/serve-http.ts";
import { serveStdio } from "../transports/serve-stdio.ts";
import { PACKAGE_VERSION } from "../version.ts";
import { createApprovalServer } from "./approval-server.ts";

export interface StartApprovalServerOptions {
  countersignUrl?: string;
  jwks?: string;
  trustServerKeys?: boolean;
  /** Default `COUNTERSIGN_AGENT_ID`, else `mcp-agent`. */
  agentId?: string;
  /** Longest wait inside one tool call, in seconds. Default 50. */
  waitSeconds?: number;
  http?: { port: number; host?: string; recheckMs?: number };
  /** stdio only: the agent key. Default `COUNTERSIGN_AGENT_KEY`. */
  apiKey?: string;
  sessionId?: string;
  env?: NodeJS.ProcessEnv;
  fetch?: FetchFunction;
  stdin?: Readable;
  stdout?: Writable;
}

export interface RunningApprovalServer {
  http?: HttpServing;
  done: Promise<void>;
  close(): Promise<void>;
}

/** Serves the approval tools over stdio (agent key from the environment) or Streamable HTTP (Bearer key). */
export async function startApprovalServer(
  options: StartApprovalServerOptions,
): Promise<RunningApprovalServer> {
  const env = options.env ?? process.env;
  const settings = await resolveCountersignSettings({
    url: options.countersignUrl,
    jwks: options.jwks,
    trustServerKeys: options.trustServerKeys,
    env,
    ...(options.fetch && { fetch: options.fetch }),
  });
  const waitSeconds = options.waitSeconds ?? 50;
  if (!Number.isInteger(waitSeconds) || waitSeconds < 0 || waitSeconds > 600) {
    throw new CountersignError("invalid_request", "--wait must be a whole number of seconds from 0 to 600");
  }
  const agentId = options.agentId ?? env.COUNTERSIGN_AGENT_ID ?? "mcp-agent";
  const serverFor = (apiKey: string, sessionId: string) =>
    createApprovalServer({
      countersign: createClient({
        baseUrl: settings.url,
        apiKey,
        userAgent: `countersign-mcp-approvals/${PACKAGE_VERSION}`,
        ...(options.fetch && { fetch: options.fetch }),
      }),
      trustedKeys: settings.trustedKeys,
      agentId,
      maxWaitMs: waitSeconds * 1000,
      sessionId,
    });
  if (options.http) {
    const http = await serveStreamableHttp({
      port: options.http.port,
      ...(options.http.host && { host: options.http.host }),
      ...(options.http.recheckMs !== undefined && { recheckMs: options.http.recheckMs }),
      authenticate: keyChecker(settings.url, options.fetch),
      createSession: serverFor,
    });
    return { http, done: new Promise(() => {}), close: () => http.close() };
  }
  const apiKey = options.apiKey ?? env.COUNTERSIGN_AGENT_KEY;
  if (!apiKey)
    throw new CountersignError("invalid_request", "Give the Countersign agent key in COUNTERSIGN_AGENT_KEY");
  const server = serverFor(apiKey, options.sessionId ?? randomUUID());
  const done = serveStdio(server, {
    ...(options.stdin && { stdin: options.stdin }),
    ...(options.stdout && { stdout: options.stdout }),
  });
  return { done, close: () => server.close() };
}
