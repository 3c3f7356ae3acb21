import type { ServerMetrics } from "../observability/server-metrics.ts";
import { keyRoute } from "./route-context.ts";

/** `GET /metrics`: Prometheus text, for admin keys (the counts say what agents do and how fast people decide). */
export function metricsRoute(metrics: ServerMetrics) {
  return keyRoute({
    operationId: "metrics",
    method: "get",
    path: "/metrics",
    summary: "Read the metrics",
    description:
      "Prometheus text format: pauses opened and decided (by action type and outcome), human time to decision, webhook attempts and queue depth, waiters, store errors, HTTP requests. Scrape with an admin key as a bearer token.",
    tags: ["operations"],
    security: { kind: "apiKey", roles: ["admin"] },
    responses: { 200: { description: "The metrics", contentType: "text/plain" } },
    errors: [401, 403],
    async handle() {
      return new Response(await metrics.registry.metrics(), {
        headers: { "content-type": metrics.registry.contentType, "cache-control": "no-store" },
      });
    },
  });
}
