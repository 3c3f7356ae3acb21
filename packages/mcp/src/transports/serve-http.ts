import { createHash, randomUUID, timingSafeEqual } from "node:crypto";
import type { AddressInfo } from "node:net";
import { isCountersignError } from "@countersign/core";
import { serve } from "@hono/node-server";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";

/** Anything an MCP transport can be connected to: the low-level `Server` or an `McpServer`. */
export interface Connectable {
  connect(transport: Transport): Promise<void>;
  close(): Promise<void>;
}

export interface HttpServeOptions {
  port?: number;
  host?: string;
  /** Where MCP is served. Default `/mcp`. */
  path?: string;
  /** Throws (a `CountersignError`) when the bearer key may not be used. */
  authenticate(apiKey: string): Promise<void>;
  /** A new MCP server for a session that authenticated with this key. */
  createSession(apiKey: string, sessionId: string): Connectable;
  /** A session's key is checked again when its last check is older than this. Default 10 s. */
  recheckMs?: number;
  /** Largest request body in bytes. Default 4 MiB. */
  maxBodyBytes?: number;
  /** A session that sends nothing for this long is closed (its client re-initializes). Default 1 hour. */
  idleMs?: number;
}

export interface HttpServing {
  url: string;
  port: number;
  close(): Promise<void>;
}

interface Session {
  transport: WebStandardStreamableHTTPServerTransport;
  server: Connectable;
  keyHash: Buffer;
  apiKey: string;
  checkedAt: number;
  seenAt: number;
}

/**
 * Serves MCP over Streamable HTTP with one session per client. Every request
 * carries the Countersign agent key as a Bearer token: a session is bound to
 * the key that opened it, and the key is checked against Countersign when the
 * session opens and again every few seconds, so a revoked key stops working.
 */
export function serveStreamableHttp(options: HttpServeOptions): Promise<HttpServing> {
  const path = options.path ?? "/mcp";
  const recheckMs = options.recheckMs ?? 10_000;
  const idleMs = options.idleMs ?? 3_600_000;
  const sessions = new Map<string, Session>();

  const closeSession = async (id: string) => {
    const session = sessions.get(id);
    sessions.delete(id);
    await session?.server.close().catch(() => {});
  };

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === "/healthz" && request.method === "GET") return Response.json({ ok: true });
    if (url.pathname !== path)
      return problem(404, "not_found", `Nothing is served at ${url.pathname}; MCP is at ${path}`);
    const apiKey = bearer(request);
    if (!apiKey)
      return problem(401, "unauthorized", "Send the Countersign agent key as `Authorization: Bearer <key>`");
    const sessionId = request.headers.get("mcp-session-id");

    if (sessionId === null) {
      if (request.method !== "POST")
        return problem(400, "invalid_request", "Open a session with an initialize POST first");
      const refused = await check(options, apiKey);
      if (refused) return refused;
      const transport = new WebStandardStreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        ...(options.maxBodyBytes !== undefined && { maxRequestBodySize: options.maxBodyBytes }),
        onsessioninitialized: (id) => {
          const now = Date.now();
          sessions.set(id, { transport, server, keyHash: hash(apiKey), apiKey, checkedAt: now, seenAt: now });
        },
        onsessionclosed: (id) => void closeSession(id),
      });
      const server = options.createSession(apiKey, randomUUID());
      await server.connect(transport);
      const response = await transport.handleRequest(request);
      // Not an initialize request: the transport refused it and no session exists to keep.
      if (transport.sessionId === undefined) await server.close().catch(() => {});
      return response;
    }

    const session = sessions.get(sessionId);
    // The same answer for an unknown session and a session of another key: nothing to probe.
    if (!session || !timingSafeEqual(session.keyHash, hash(apiKey))) {
      return problem(404, "not_found", "No such MCP session; initialize a new one");
    }
    session.seenAt = Date.now();
    if (Date.now() - session.checkedAt > recheckMs) {
      const refused = await check(options, apiKey);
      if (refused) {
        if (refused.status === 401) await closeSession(sessionId);
        return refused;
      }
      session.checkedAt = Date.now();
    }
    return session.transport.handleRequest(request);
  }

  // Clients that vanish without a DELETE would otherwise keep their session (and its server) forever.
  const sweeper = setInterval(
    () => {
      const cutoff = Date.now() - idleMs;
      for (const [id, session] of sessions) if (session.seenAt < cutoff) void closeSession(id);
    },
    Math.min(idleMs, 60_000),
  );
  sweeper.unref();

  return new Promise((resolve, reject) => {
    const host = options.host ?? "127.0.0.1";
    const httpServer = serve(
      { fetch: handle, port: options.port ?? 0, hostname: host },
      (info: AddressInfo) => {
        const shownHost = host.includes(":") ? `[${host}]` : host === "0.0.0.0" ? "127.0.0.1" : host;
        resolve({
          url: `http://${shownHost}:${info.port}${path}`,
          port: info.port,
          async close() {
            await Promise.all([...sessions.keys()].map(closeSession));
            await new Promise<void>((done) => {
              httpServer.close(() => done());
              // Open event streams would hold the close; end them.
              (httpServer as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
            });
          },
        });
      },
    );
    httpServer.once("error", reject);
  });
}

async function check(options: HttpServeOptions, apiKey: string): Promise<Response | null> {
  try {
    await options.authenticate(apiKey);
    return null;
  } catch (error) {
    if (isCountersignError(error, "unauthorized") || isCountersignError(error, "forbidden")) {
      return problem(401, "unauthorized", "Countersign does not accept this key");
    }
    // Fail closed: a key that cannot be checked is not accepted.
    return problem(503, "network_error", "Countersign cannot be reached to check the key; try again");
  }
}

function bearer(request: Request): string | null {
  const header = request.headers.get("authorization");
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match ? match[1]! : null;
}

function hash(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}

function problem(status: number, code: string, detail: string): Response {
  const titles: Record<number, string> = {
    400: "Bad request",
    401: "Unauthorized",
    404: "Not found",
    503: "Unavailable",
  };
  return new Response(
    JSON.stringify({ type: "about:blank", title: titles[status] ?? "Error", status, detail, code }),
    {
      status,
      headers: {
        "content-type": "application/problem+json",
        ...(status === 401 && { "www-authenticate": 'Bearer realm="countersign"' }),
      },
    },
  );
}
