import type { Hono } from "hono";
import type { z } from "zod";
import { parseOrThrow } from "../../protocol/parse.ts";
import { noteCaller } from "../observability/request-log.ts";
import { readJsonBody } from "./read-json-body.ts";
import type { Route, RouteFamily } from "./route.ts";

/**
 * Registers a family's routes with Hono: each request is authenticated for
 * its route first, then its path, query, headers and JSON body are parsed
 * with the route's schemas (a 4xx naming the field on any mistake), and only
 * then does the handler run.
 */
export function mountRouteFamily<Auth>(app: Hono, family: RouteFamily<Auth>): void {
  for (const route of family.routes) {
    app.on(route.method.toUpperCase(), honoPath(route.path), async (c) => {
      const request = c.req.raw;
      const auth = await family.authenticate(route, request);
      const caller = family.caller?.(auth);
      if (caller) noteCaller(request, caller);
      if (route.parse === false) {
        return route.handle({
          auth,
          params: c.req.param(),
          query: c.req.query(),
          headers: undefined,
          body: undefined,
          request,
          c,
        });
      }
      const params = route.params ? parseOrThrow(route.params, c.req.param(), "path") : undefined;
      const query = route.query ? parseOrThrow(route.query, c.req.query(), "query") : undefined;
      const headers = route.headers
        ? parseOrThrow(route.headers, declaredHeaders(route.headers, request), "headers")
        : undefined;
      const body =
        route.body && (route.body.contentType ?? "application/json") === "application/json"
          ? await readJsonBody(request, route.body.schema, family.maxBodyBytes)
          : undefined;
      return route.handle({ auth, params, query, headers, body, request, c });
    });
  }
}

/** `/v1/pauses/{pause_id}` → `/v1/pauses/:pause_id`. */
export function honoPath(path: string): string {
  return path.replace(/\{([^}]+)\}/g, ":$1");
}

/** Only the headers a route declares (looked up without letter case), so its strict schema sees nothing else. */
function declaredHeaders(schema: z.ZodType, request: Request): Record<string, string> {
  const shape = (schema as unknown as { shape?: Record<string, unknown> }).shape ?? {};
  const headers: Record<string, string> = {};
  for (const name of Object.keys(shape)) {
    const value = request.headers.get(name);
    if (value !== null) headers[name] = value;
  }
  return headers;
}

/** Every route of every family, for the OpenAPI document. */
export type RouteCatalog = Route<unknown>[];
