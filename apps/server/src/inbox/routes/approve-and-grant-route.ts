import { CountersignError, GrantRequestSchema, isCountersignError } from "@countersign/core";
import type { Route } from "@countersign/core/server";
import { z } from "zod";
import { jsonResponse, problemWith } from "../http/responses.ts";
import type { InboxContext } from "../inbox-context.ts";
import { grantActorOf, InboxGrantSchema, inboxGrant } from "./grant-routes.ts";
import { type InboxAuth, sessionRoute } from "./inbox-route.ts";
import { InboxPauseViewSchema } from "./pause-routes.ts";
import { pauseView } from "./pause-view.ts";

const PauseIdSchema = z.strictObject({
  pause_id: z.string().min(1).max(100).describe("The pause, `pau_…`."),
});

const ApprovedAndGrantedSchema = z.strictObject({
  view: InboxPauseViewSchema,
  grant: InboxGrantSchema,
});

/**
 * "Approve this and similar ones": approves the pause on the card through the
 * ordinary decision and grants a standing approval for the ones like it. The
 * grant is checked (terms, the policy's limits) before anything is decided, so
 * bad input decides nothing; if the decision then fails (someone decided
 * first), the new grant is revoked at once and the caller is told why.
 */
export function approveAndGrantRoute(context: InboxContext): Route<InboxAuth> {
  return sessionRoute({
    operationId: "inboxApproveAndGrant",
    method: "post",
    path: "/inbox/api/pauses/{pause_id}/approve-and-grant",
    summary: "Approve a pause and grant similar ones",
    description:
      "Approves this pause (as `POST …/decision` with `approve`, the grant's `reason` as the note) and grants a standing approval (as `POST /inbox/api/grants`). A grant never covers its grantor's own requests. A late decider gets 409 with `view`, and no grant.",
    tags: ["inbox"],
    security: { kind: "session", changes: true },
    params: PauseIdSchema,
    body: { schema: GrantRequestSchema, required: true },
    responses: {
      200: { description: "The card after the approval, and the grant", schema: ApprovedAndGrantedSchema },
    },
    errors: [400, 401, 403, 404, 409],
    async handle({ auth, params, body }) {
      const pauseId = params.pause_id;
      const rights = await context.service.decisionRights(pauseId, auth.identity);
      if (!rights.allowed) {
        if (rights.code === "already_decided") {
          const view = await pauseView(context, pauseId, auth);
          return problemWith("already_decided", rights.reason, { pause_id: pauseId, view });
        }
        throw new CountersignError("forbidden", rights.reason, { pauseId });
      }
      const actor = grantActorOf(auth);
      const grant = await context.service.createGrant(body, actor);
      try {
        await context.service.decide(
          pauseId,
          { decision: "approve", ...(body.reason !== undefined && { reason: body.reason }) },
          { identity: auth.identity, channel: "web" },
        );
      } catch (error) {
        await context.service.revokeGrant(
          grant.grantId,
          actor,
          `The pause it was granted from (${pauseId}) could not be approved`,
        );
        if (isCountersignError(error, "already_decided")) {
          const view = await pauseView(context, pauseId, auth);
          return problemWith("already_decided", error.message, { pause_id: pauseId, view });
        }
        throw error;
      }
      return jsonResponse({
        view: await pauseView(context, pauseId, auth),
        grant: inboxGrant(grant, auth, context.now()),
      });
    },
  });
}
