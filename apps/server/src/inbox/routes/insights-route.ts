import { InsightsSchema } from "@countersign/core";
import { InsightsQuerySchema, insightsReport, type Route } from "@countersign/core/server";
import { jsonResponse } from "../http/responses.ts";
import type { InboxContext } from "../inbox-context.ts";
import { type InboxAuth, sessionRoute } from "./inbox-route.ts";

/** The insights page's data: `GET /v1/insights` for a signed-in approver or admin. */
export function insightsRoute(context: InboxContext): Route<InboxAuth> {
  return sessionRoute({
    operationId: "inboxInsights",
    method: "get",
    path: "/inbox/api/insights",
    summary: "Read insights",
    description: "Per agent × action type over the window, with policy suggestions to consider.",
    tags: ["inbox"],
    security: { kind: "session", roles: ["approver", "admin"] },
    query: InsightsQuerySchema,
    responses: { 200: { description: "The insights", schema: InsightsSchema } },
    errors: [400, 401, 403],
    async handle({ query }) {
      return jsonResponse(await insightsReport(context.store, context.now(), query.window));
    },
  });
}
