import type { Hono } from "hono";
import { isCountersignError } from "../../errors/countersign-error.ts";
import { openApiDocument } from "../../protocol/openapi.ts";
import type { RouteDependencies } from "./route-context.ts";

export const API_VERSION = "1.0.0";

export function registerMetaRoutes(app: Hono, dependencies: RouteDependencies): void {
  const { context } = dependencies;
  let openApi: Record<string, unknown> | null = null;

  app.get("/v1/keys", (c) => c.json(context.keys.jwks, 200, { "cache-control": "public, max-age=300" }));
  app.get("/healthz", (c) => c.json({ ok: true }));
  app.get("/readyz", async (c) => {
    try {
      await context.store.ping();
      return c.json({ ok: true });
    } catch (error) {
      if (isCountersignError(error, "store_unavailable")) throw error;
      context.log.error("readiness check failed", { error: String(error) });
      return c.json({ ok: false }, 503);
    }
  });
  app.get("/openapi.json", (c) => {
    openApi ??= openApiDocument(API_VERSION);
    return c.json(openApi);
  });
}
