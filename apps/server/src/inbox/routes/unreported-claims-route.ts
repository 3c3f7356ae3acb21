import { claimedBefore, OlderThanSchema, type Route } from "@countersign/core/server";
import { z } from "zod";
import { jsonResponse } from "../http/responses.ts";
import type { InboxContext } from "../inbox-context.ts";
import { type InboxAuth, sessionRoute } from "./inbox-route.ts";

const QuerySchema = z.strictObject({
  older_than: OlderThanSchema.default("15m").describe(
    "Claimed at least this long ago: a duration (`15m`, `2h`) or an ISO 8601 instant. Default 15m.",
  ),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().min(1).max(500).optional(),
});

const UnreportedClaimSchema = z.strictObject({
  pause_id: z.string(),
  agent_id: z.string(),
  action_type: z.string(),
  title: z.string(),
  claimed_at: z.string(),
  claimed_by: z.string().nullable().describe("The key that claimed it (an agent's or an executor's)."),
});

const UnreportedClaimListSchema = z.strictObject({
  object: z.literal("list"),
  data: z.array(UnreportedClaimSchema),
  has_more: z.boolean(),
  next_cursor: z.string().nullable(),
});

/**
 * The admin's reconciliation list: approved actions claimed but never
 * reported — a crash between the claim and the action, or an executor that
 * does not record receipts. Each may or may not have happened.
 */
export function unreportedClaimsRoute(context: InboxContext): Route<InboxAuth> {
  return sessionRoute({
    operationId: "inboxUnreportedClaims",
    method: "get",
    path: "/inbox/api/unreported-claims",
    summary: "List claims without a receipt",
    tags: ["inbox"],
    security: { kind: "session", roles: ["admin"] },
    query: QuerySchema,
    responses: {
      200: { description: "Claimed pauses with no receipt, newest first", schema: UnreportedClaimListSchema },
    },
    errors: [400, 401, 403],
    async handle({ query }) {
      const page = await context.store.listPauses({
        limit: query.limit,
        claimedWithoutReceipt: true,
        claimedBefore: claimedBefore(query.older_than, context.now()),
        ...(query.cursor && { cursor: query.cursor }),
      });
      return jsonResponse({
        object: "list",
        data: page.items.map((pause) => ({
          pause_id: pause.pauseId,
          agent_id: pause.agentId,
          action_type: pause.action.type,
          title: pause.action.title ?? pause.action.type,
          claimed_at: pause.claimedAt!,
          claimed_by: pause.claimedBy ?? null,
        })),
        has_more: page.nextCursor !== null,
        next_cursor: page.nextCursor,
      });
    },
  });
}
