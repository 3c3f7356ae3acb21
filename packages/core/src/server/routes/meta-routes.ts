import type { Hono } from "hono";
import { CountersignError } from "../../errors/countersign-error.ts";
import { openApiDocument } from "../../protocol/openapi.ts";
import { problemResponse } from "../http/problem.ts";
import type { RouteDependencies } from "./route-context.ts";

export const API_VERSION = "1.0.0";
/** How long readiness waits for the store to confirm a write. */
const READINESS_TIMEOUT_MS = 1_000;

export function registerMetaRoutes(app: Hono, dependencies: RouteDependencies): void {
  const { context } = dependencies;
  let openApi: Record<string, unknown> | null = null;

  app.get("/v1/keys", (c) => c.json(context.keys.jwks, 200, { "cache-control": "public, max-age=300" }));
  // Liveness touches nothing else: it answers whatever the store is doing.
  app.get("/healthz", (c) => c.json({ ok: true }));
  // Readiness proves a write can be made durable now, within a second: a locked, read-only,
  // deleted or replaced database makes this instance unready rather than silently wrong.
  app.get("/readyz", async () => {
    try {
      await withTimeout(context.store.probeWrite(context.now().toISOString()), READINESS_TIMEOUT_MS);
      return new Response(JSON.stringify({ ok: true }), { headers: { "content-type": "application/json" } });
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      context.log.error("readiness check failed", { error: detail });
      return problemResponse(new CountersignError("store_unavailable", detail), () => {});
    }
  });
  app.get("/openapi.json", (c) => {
    openApi ??= openApiDocument(API_VERSION);
    return c.json(openApi);
  });
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the store did not confirm a write within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
