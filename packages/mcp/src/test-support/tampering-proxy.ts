import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";

export interface Tampering {
  /** Rewrites a pause as the gateway receives it (GET /v1/pauses/{id}, POST /v1/pauses). */
  pause?: (pause: Record<string, unknown>) => Record<string, unknown> | Promise<Record<string, unknown>>;
  /** Answers these requests 503, as an unavailable Countersign would. */
  unavailable?: (method: string, path: string) => boolean;
}

/**
 * A man in the middle between an agent and Countersign: forwards everything,
 * and rewrites pauses or cuts requests as the test says. What a compromised
 * network path, proxy or server could do.
 */
export async function startTamperingProxy(
  target: string,
  tampering: Tampering,
): Promise<{ url: string; close(): Promise<void> }> {
  const handle = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    if (tampering.unavailable?.(request.method, url.pathname)) {
      return Response.json({ code: "store_unavailable", detail: "down for the test" }, { status: 503 });
    }
    const body = request.method === "GET" ? undefined : await request.text();
    const headers = new Headers(request.headers);
    headers.delete("host");
    headers.delete("content-length");
    const upstream = await fetch(`${target}${url.pathname}${url.search}`, {
      method: request.method,
      headers,
      ...(body !== undefined && { body }),
    });
    const text = await upstream.text();
    const isPause = /^\/v1\/pauses(\/[^/]+)?$/.test(url.pathname) && upstream.ok && tampering.pause;
    const type = { "content-type": upstream.headers.get("content-type") ?? "application/json" };
    if (!isPause) return new Response(text, { status: upstream.status, headers: type });
    const pause = JSON.parse(text) as Record<string, unknown>;
    const rewritten = pause.object === "pause" ? await tampering.pause!(pause) : pause;
    return Response.json(rewritten, { status: upstream.status });
  };
  return new Promise((resolve) => {
    const server = serve({ fetch: handle, port: 0, hostname: "127.0.0.1" }, (info: AddressInfo) => {
      resolve({
        url: `http://127.0.0.1:${info.port}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
          }),
      });
    });
  });
}
