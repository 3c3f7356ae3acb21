import {
  BatchDecisionRequestSchema,
  BatchDecisionResultSchema,
  CountersignError,
  MAX_BATCH_DECISIONS,
} from "@countersign/core";
import type { Route } from "@countersign/core/server";
import { jsonResponse } from "../http/responses.ts";
import type { InboxContext } from "../inbox-context.ts";
import { type InboxAuth, sessionRoute } from "./inbox-route.ts";

/**
 * Deciding many pauses from the inbox's list: the session's counterpart of
 * `POST /v1/decisions`, through the same core operation, so each pause is
 * decided exactly as it would be alone (its routing, quorum, requester rule,
 * compare-and-set, proof and audit events).
 */
export function batchDecisionRoute(context: InboxContext): Route<InboxAuth> {
  return sessionRoute({
    operationId: "inboxDecidePauses",
    method: "post",
    path: "/inbox/api/decisions",
    summary: "Decide many pauses",
    description: `One decision for up to ${MAX_BATCH_DECISIONS} pauses (a reason is required to reject), each decided as \`POST /inbox/api/pauses/{pause_id}/decision\` would decide it alone: a batch never decides a pause the approver could not decide by itself. Always 200 with one result per pause, in order; an item that was not decided carries the error its single decision would have returned (403 not routed to you, 409 already decided, 404 no such pause).`,
    tags: ["inbox"],
    security: { kind: "session", changes: true },
    body: { schema: BatchDecisionRequestSchema, required: true },
    responses: {
      200: { description: "One result per pause, in request order", schema: BatchDecisionResultSchema },
    },
    errors: [400, 401, 403, 413],
    async handle({ auth, body }) {
      if (body.decision === "reject" && body.reason === undefined) {
        throw new CountersignError("invalid_request", "Say why you reject: a reason is required", {
          errors: [{ path: "reason", message: "required when rejecting" }],
        });
      }
      return jsonResponse(
        await context.service.decideBatch(body, { identity: auth.identity, channel: "web" }),
      );
    },
  });
}
