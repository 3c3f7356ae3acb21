import {
  DelegationListSchema,
  DelegationRequestSchema,
  DelegationSchema,
  RevokeDelegationRequestSchema,
} from "@countersign/core";
import {
  createDelegation,
  type DelegationActor,
  listVisibleDelegations,
  type Route,
  renderDelegation,
  revokeDelegation,
} from "@countersign/core/server";
import { z } from "zod";
import type { WebSession } from "../../web-session/web-sessions.ts";
import { jsonResponse } from "../http/responses.ts";
import type { InboxContext } from "../inbox-context.ts";
import { type InboxAuth, sessionRoute } from "./inbox-route.ts";

const DelegationIdSchema = z.strictObject({
  delegation_id: z.string().min(1).max(100).describe("The delegation, `dlg_…`."),
});

function actorOf(session: WebSession): DelegationActor {
  return { identity: session.identity, admin: session.role === "admin" };
}

/** "Away? Delegate my approvals": the signed-in approver's delegations, the same rules as `/v1/delegations`. */
export function delegationRoutes(context: InboxContext): Route<InboxAuth>[] {
  return [
    sessionRoute({
      operationId: "inboxListDelegations",
      method: "get",
      path: "/inbox/api/delegations",
      summary: "List my delegations",
      description: "The delegations the signed-in person gave or received (an admin: all), newest first.",
      tags: ["inbox"],
      security: { kind: "session" },
      responses: { 200: { description: "Delegations, newest first", schema: DelegationListSchema } },
      errors: [401],
      async handle({ auth }) {
        const now = context.now();
        const delegations = await listVisibleDelegations(context, actorOf(auth), undefined);
        return jsonResponse({
          object: "list",
          data: delegations.map((delegation) => renderDelegation(delegation, now)),
          has_more: false,
          next_cursor: null,
        });
      },
    }),
    sessionRoute({
      operationId: "inboxCreateDelegation",
      method: "post",
      path: "/inbox/api/delegations",
      summary: "Delegate my approvals",
      tags: ["inbox"],
      security: { kind: "session", changes: true },
      body: { schema: DelegationRequestSchema, required: true },
      responses: { 201: { description: "The delegation", schema: DelegationSchema } },
      errors: [400, 401, 403, 409],
      async handle({ auth, body }) {
        const delegation = await createDelegation(context, body, actorOf(auth));
        return jsonResponse(renderDelegation(delegation, context.now()), 201);
      },
    }),
    sessionRoute({
      operationId: "inboxRevokeDelegation",
      method: "delete",
      path: "/inbox/api/delegations/{delegation_id}",
      summary: "Revoke a delegation",
      tags: ["inbox"],
      security: { kind: "session", changes: true },
      params: DelegationIdSchema,
      body: { schema: RevokeDelegationRequestSchema, required: false },
      responses: { 200: { description: "The revoked delegation", schema: DelegationSchema } },
      errors: [400, 401, 403, 404],
      async handle({ auth, params, body }) {
        const delegation = await revokeDelegation(context, params.delegation_id, actorOf(auth), body?.reason);
        return jsonResponse(renderDelegation(delegation, context.now()));
      },
    }),
  ];
}
