import { z } from "zod";
import { CountersignError } from "../../errors/countersign-error.ts";
import { JwkSetSchema } from "../../protocol/keys.ts";
import { problemResponse } from "../http/problem.ts";
import { jsonResponse, type Route } from "../http/route.ts";
import { openApiDocument } from "../openapi/openapi-document.ts";
import { publicRoute, type RouteDependencies } from "./route-context.ts";

export const API_VERSION = "1.0.0";
/** How long readiness waits for the store to confirm a write. */
const READINESS_TIMEOUT_MS = 1_000;

const HealthSchema = z.strictObject({ ok: z.boolean() });

/** Keys, health and the API description. `catalog()` is every route the server serves, for the document. */
export function metaRoutes(dependencies: RouteDependencies, catalog: () => readonly Route<unknown>[]) {
  const { context } = dependencies;
  let openApi: { baseUrl: string; document: Record<string, unknown> } | null = null;
  return [
    publicRoute({
      operationId: "getKeys",
      method: "get",
      path: "/v1/keys",
      summary: "Public proof keys",
      description:
        "The Ed25519 public keys proofs are signed with (current first, then retired), as a JWK set. Save them once and pin them; do not fetch them from the server whose proofs you verify.",
      tags: ["keys"],
      responses: { 200: { description: "A JWK set", schema: JwkSetSchema } },
      errors: [],
      handle: () => jsonResponse(context.keys.jwks, 200, { "cache-control": "public, max-age=300" }),
    }),
    publicRoute({
      operationId: "health",
      method: "get",
      path: "/healthz",
      summary: "Liveness",
      description: "Answers at once, whatever the store does.",
      tags: ["operations"],
      responses: { 200: { description: "The process answers", schema: HealthSchema } },
      errors: [],
      // Liveness touches nothing else: it answers whatever the store is doing.
      handle: () => jsonResponse({ ok: true }),
    }),
    publicRoute({
      operationId: "ready",
      method: "get",
      path: "/readyz",
      summary: "Readiness",
      description:
        "Commits a probe write: 200 within a second, or 503 when the store is unreachable, locked, read-only, deleted or replaced.",
      tags: ["operations"],
      responses: { 200: { description: "The store can make a write durable", schema: HealthSchema } },
      errors: [503],
      // Readiness proves a write can be made durable now, within a second: a locked, read-only,
      // deleted or replaced database makes this instance unready rather than silently wrong.
      async handle() {
        try {
          await withTimeout(context.store.probeWrite(context.now().toISOString()), READINESS_TIMEOUT_MS);
          return jsonResponse({ ok: true });
        } catch (error) {
          const detail = error instanceof Error ? error.message : String(error);
          context.log.error("readiness check failed", { error: detail });
          context.metrics.storeError("readiness");
          return problemResponse(new CountersignError("store_unavailable", detail), () => {});
        }
      },
    }),
    publicRoute({
      operationId: "openApi",
      method: "get",
      path: "/openapi.json",
      summary: "This API, as OpenAPI 3.1",
      tags: ["operations"],
      responses: { 200: { description: "The OpenAPI document", schema: z.record(z.string(), z.unknown()) } },
      errors: [],
      handle() {
        const baseUrl = context.baseUrl();
        if (openApi?.baseUrl !== baseUrl) {
          openApi = {
            baseUrl,
            document: openApiDocument(catalog(), { version: API_VERSION, serverUrl: baseUrl }),
          };
        }
        return jsonResponse(openApi.document);
      },
    }),
  ];
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the store did not confirm a write within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
