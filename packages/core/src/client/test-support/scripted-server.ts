import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach } from "vitest";
import type { Pause } from "../../protocol/pause.ts";

// A real HTTP server on 127.0.0.1, scripted per test: each request is recorded
// and answered by the test's script (reply, fail, hang or drop the socket).
export interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}
export type Script = (request: Received, response: ServerResponse, index: number) => void;

const servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

export async function scriptedServer(
  script: Script,
): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const entry = {
      method: request.method ?? "",
      url: request.url ?? "",
      headers: request.headers,
      body: Buffer.concat(chunks).toString("utf8"),
    };
    received.push(entry);
    script(entry, response, received.length - 1);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const close = () =>
    new Promise<void>((resolve) => {
      if (!server.listening) return resolve();
      server.closeAllConnections();
      server.close(() => resolve());
    });
  servers.push({ close });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received, close };
}

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  type = "application/json",
): void {
  response.writeHead(status, { "content-type": type });
  response.end(JSON.stringify(body));
}

export function sendProblem(
  response: ServerResponse,
  status: number,
  code: string,
  detail: string,
  extra = {},
): void {
  sendJson(
    response,
    status,
    { type: `https://countersign.dev/errors/${code}`, title: code, status, detail, code, ...extra },
    "application/problem+json",
  );
}

export function dropSocket(response: ServerResponse): void {
  response.socket?.destroy();
}

export const PAUSE_ID = "pau_0123456789abcdefghjkmnpqrs";

export function wirePause(overrides: Partial<Pause> = {}): Pause {
  const pauseId = overrides.pause_id ?? PAUSE_ID;
  return {
    object: "pause",
    pause_id: pauseId,
    status: "pending",
    agent_id: "billing-agent",
    action: { type: "payment", data: { payee: "Acme Corp", amount: 12450 } },
    recipients: [],
    webhook_url: null,
    context: {},
    metadata: {},
    created_at: "2026-11-21T10:00:00.000Z",
    expires_at: "2026-11-21T11:00:00.000Z",
    decision: null,
    proof: null,
    claimed_at: null,
    links: {
      self: `/v1/pauses/${pauseId}`,
      events: `/v1/pauses/${pauseId}/events`,
      decision: `/v1/pauses/${pauseId}/decision`,
      inbox: `/inbox/${pauseId}`,
    },
    ...overrides,
  };
}
