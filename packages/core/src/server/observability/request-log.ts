import { randomUUID } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import type { Logger } from "../service-context.ts";
import type { ServerMetrics } from "./server-metrics.ts";

/** What a route family learned about the caller, for the request's log line (a key id, never a key). */
const callers = new WeakMap<Request, Record<string, string>>();

/** Records who called (e.g. `{ key_id }`) for the request's log line. Never pass a secret. */
export function noteCaller(request: Request, fields: Record<string, string>): void {
  callers.set(request, fields);
}

/** A caller's `X-Request-Id` is kept when it is short and plain; otherwise a new one is made. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * One structured line per request: request id, method, route pattern (never
 * the URL: e-mail links carry their token in the query), status, latency and
 * the key id that authenticated it. The request id is echoed as `X-Request-Id`.
 */
export function requestLog(log: Logger, metrics: ServerMetrics): MiddlewareHandler {
  // `next().then`, not `await next()`: a held long-poll keeps no suspended frame of this middleware.
  return (c, next) => {
    const started = performance.now();
    const given = c.req.header("x-request-id");
    const requestId = given && REQUEST_ID.test(given) ? given : randomUUID();
    return next().then(() => {
      const seconds = (performance.now() - started) / 1000;
      // The pattern of the handler that answered; this middleware's own "*" when none did.
      const route = c.req.routePath === "*" ? "(unmatched)" : c.req.routePath;
      const status = c.res.status;
      try {
        c.res.headers.set("x-request-id", requestId);
      } catch {
        // A response with immutable headers keeps them.
      }
      metrics.request(c.req.method, route, status, seconds);
      const fields = {
        request_id: requestId,
        method: c.req.method,
        route,
        status,
        latency_ms: Math.round(seconds * 10_000) / 10,
        ...callers.get(c.req.raw),
      };
      if (status >= 500) log.error("request", fields);
      else log.info("request", fields);
    });
  };
}
