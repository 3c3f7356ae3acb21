import { GrantRequestSchema, GrantSchema, RevokeGrantRequestSchema } from "@countersign/core";
import type { GrantRecord } from "@countersign/core/server";
import {
  type GrantActor,
  grantStatus,
  type Route,
  renderGrant,
  sameIdentity,
} from "@countersign/core/server";
import { z } from "zod";
import type { WebSession } from "../../web-session/web-sessions.ts";
import { jsonResponse } from "../http/responses.ts";
import type { InboxContext } from "../inbox-context.ts";
import { type InboxAuth, sessionRoute } from "./inbox-route.ts";

const GrantIdSchema = z.strictObject({
  grant_id: z.string().min(1).max(100).describe("The grant, `grt_…`."),
});

/** A grant as the inbox lists it: the API's grant, and whether the signed-in person may revoke it. */
export const InboxGrantSchema = GrantSchema.extend({
  can_revoke: z
    .boolean()
    .describe("The grant is active and the viewer granted it or is an admin (the API's revocation rule)."),
}).meta({ id: "InboxGrant" });

const InboxGrantListSchema = z.strictObject({
  object: z.literal("list"),
  data: z.array(InboxGrantSchema),
  has_more: z.boolean(),
  next_cursor: z.string().nullable(),
  limits: z
    .strictObject({
      enabled: z.boolean().describe("The policy allows standing grants (`grants.enabled`)."),
      max_duration_seconds: z.int().describe("The longest a new grant may last (`grants.max_duration`)."),
    })
    .describe("The policy's grant settings now, for the grant form."),
});

/** Who grants or revokes from the inbox: the signed-in person. */
export function grantActorOf(session: WebSession): GrantActor {
  return { identity: session.identity, admin: session.role === "admin" };
}

/** A grant for the signed-in person, with whether they may revoke it. */
export function inboxGrant(grant: GrantRecord, session: WebSession, now: Date) {
  const rendered = renderGrant(grant, now);
  const mayRevoke = session.role === "admin" || sameIdentity(grant.grantedBy, session.identity);
  return { ...rendered, can_revoke: mayRevoke && rendered.status === "active" };
}

/** Standing grants from the inbox: the same rules as `/v1/grants`, for the signed-in approver. */
export function grantRoutes(context: InboxContext): Route<InboxAuth>[] {
  return [
    sessionRoute({
      operationId: "inboxListGrants",
      method: "get",
      path: "/inbox/api/grants",
      summary: "List standing grants",
      description:
        "Every standing grant (as `GET /v1/grants` shows an approver), active ones first, each group newest first, with what is left of each; and the policy's grant settings.",
      tags: ["inbox"],
      security: { kind: "session" },
      responses: { 200: { description: "Grants, active first", schema: InboxGrantListSchema } },
      errors: [401],
      async handle({ auth }) {
        const now = context.now();
        const grants = await context.store.listGrants({});
        // A stable sort keeps the store's newest-first order inside each group.
        const ordered = [...grants].sort((left, right) => activeFirst(left, now) - activeFirst(right, now));
        const limits = context.service.grantLimits();
        return jsonResponse({
          object: "list",
          data: ordered.map((grant) => inboxGrant(grant, auth, now)),
          has_more: false,
          next_cursor: null,
          limits: { enabled: limits.enabled, max_duration_seconds: limits.maxDurationSeconds },
        });
      },
    }),
    sessionRoute({
      operationId: "inboxCreateGrant",
      method: "post",
      path: "/inbox/api/grants",
      summary: "Grant a standing approval",
      description:
        "As `POST /v1/grants`, in the signed-in approver's name: never covers their own requests, and each use is checked against their right to decide that pause.",
      tags: ["inbox"],
      security: { kind: "session", changes: true },
      body: { schema: GrantRequestSchema, required: true },
      responses: { 201: { description: "The grant, active now", schema: InboxGrantSchema } },
      errors: [400, 401, 403],
      async handle({ auth, body }) {
        const grant = await context.service.createGrant(body, grantActorOf(auth));
        return jsonResponse(inboxGrant(grant, auth, context.now()), 201);
      },
    }),
    sessionRoute({
      operationId: "inboxRevokeGrant",
      method: "delete",
      path: "/inbox/api/grants/{grant_id}",
      summary: "Revoke a standing grant",
      description: "Ends it at once: its grantor or an admin. Pauses it already approved stay approved.",
      tags: ["inbox"],
      security: { kind: "session", changes: true },
      params: GrantIdSchema,
      body: { schema: RevokeGrantRequestSchema, required: false },
      responses: { 200: { description: "The revoked grant", schema: InboxGrantSchema } },
      errors: [400, 401, 403, 404],
      async handle({ auth, params, body }) {
        const grant = await context.service.revokeGrant(params.grant_id, grantActorOf(auth), body?.reason);
        return jsonResponse(inboxGrant(grant, auth, context.now()));
      },
    }),
  ];
}

function activeFirst(grant: GrantRecord, now: Date): number {
  return grantStatus(grant, now) === "active" ? 0 : 1;
}
