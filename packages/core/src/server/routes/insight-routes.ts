import { z } from "zod";
import { parseDuration } from "../../policy/duration.ts";
import { DenialListSchema, InsightsSchema } from "../../protocol/insights.ts";
import { jsonResponse } from "../http/route.ts";
import { denialsOf } from "../insights/denials.ts";
import { insightsReport } from "../insights/insights-report.ts";
import { pausesInWindow } from "../insights/pauses-in-window.ts";
import { keyRoute, type RouteDependencies } from "./route-context.ts";

const MAX_WINDOW_SECONDS = 366 * 86_400;

const WindowSchema = z
  .string()
  .default("30d")
  .refine((value) => {
    const seconds = parseDuration(value);
    return seconds !== null && seconds <= MAX_WINDOW_SECONDS;
  }, 'a duration up to 366d, e.g. "7d", "24h"')
  .describe("How far back: `30d`, `7d`, `24h`. Default 30d.");

export const InsightsQuerySchema = z.strictObject({ window: WindowSchema });

const DenialsQuerySchema = z.strictObject({
  window: WindowSchema,
  mask: z
    .string()
    .max(2_000)
    .optional()
    .describe("Comma-separated fields of `action.data` (dots for nested) to replace with `[masked]`."),
});

/** Insights into every gate: how each agent × action type fares, and what the policy could loosen. */
export function insightRoutes(dependencies: RouteDependencies) {
  const { context } = dependencies;
  const since = (window: string) =>
    new Date(context.now().getTime() - parseDuration(window)! * 1000).toISOString();
  return [
    keyRoute({
      operationId: "getInsights",
      method: "get",
      path: "/v1/insights",
      summary: "Read insights",
      description:
        "Per agent × action type over the window: volume; approved, rejected, expired, auto-approved and granted shares; people's time to decision (p50/p90); top denial reasons; overrides; grant usage. `suggestions` are policy rules to consider (a gate people always approve, a gate that waits long), each with its evidence and YAML to copy — never applied by the server.",
      tags: ["insights"],
      security: { kind: "apiKey", roles: ["approver", "admin"] },
      query: InsightsQuerySchema,
      responses: { 200: { description: "The insights", schema: InsightsSchema } },
      errors: [400, 401, 403, 503],
      async handle({ query }) {
        return jsonResponse(await insightsReport(context.store, context.now(), query.window));
      },
    }),
    keyRoute({
      operationId: "listDenials",
      method: "get",
      path: "/v1/insights/denials",
      summary: "List denials",
      description:
        "Every rejected pause in the window, oldest first, with its action, arguments (fields in `mask` replaced) and reason: material for prompts and evaluations.",
      tags: ["insights"],
      security: { kind: "apiKey", roles: ["admin"] },
      query: DenialsQuerySchema,
      responses: { 200: { description: "The denials", schema: DenialListSchema } },
      errors: [400, 401, 403, 503],
      async handle({ query }) {
        const { pauses } = await pausesInWindow(context.store, since(query.window));
        const mask = (query.mask ?? "")
          .split(",")
          .map((field) => field.trim())
          .filter((field) => field !== "");
        return jsonResponse({
          object: "list",
          data: denialsOf(pauses, mask),
          has_more: false,
          next_cursor: null,
        });
      },
    }),
  ];
}
