import { z } from "zod";
import {
  DelegationListSchema,
  DelegationRequestSchema,
  DelegationSchema,
  DelegationStatusSchema,
  RevokeDelegationRequestSchema,
} from "../../protocol/delegation.ts";
import type { ApiKeyRecord } from "../../store/records.ts";
import { createDelegation, type DelegationActor } from "../delegations/create-delegation.ts";
import { listVisibleDelegations } from "../delegations/list-delegations.ts";
import { renderDelegation } from "../delegations/render-delegation.ts";
import { revokeDelegation } from "../delegations/revoke-delegation.ts";
import { jsonResponse } from "../http/route.ts";
import { keyRoute, type RouteDependencies } from "./route-context.ts";

const DelegationParamsSchema = z.strictObject({
  delegation_id: z.string().min(1).max(100).describe("The delegation, `dlg_…`."),
});

const DelegationQuerySchema = z.strictObject({
  status: DelegationStatusSchema.optional().describe("Only delegations in this state now."),
});

function actorOf(key: ApiKeyRecord): DelegationActor {
  return { identity: key.identity, admin: key.role === "admin" };
}

/** Delegations: an approver hands their approvals to another approver for a period. */
export function delegationRoutes(dependencies: RouteDependencies) {
  const { context } = dependencies;
  const approvers = { kind: "apiKey", roles: ["approver", "admin"] } as const;
  return [
    keyRoute({
      operationId: "createDelegation",
      method: "post",
      path: "/v1/delegations",
      summary: "Delegate approvals while away",
      description:
        "From `starts_at` (now by default) to `ends_at`, `to` may decide what policy routes to `from` (the caller; an admin may name anyone), optionally only for some action types. Proofs name both: `decided_by.id` is the delegate, `decided_by.on_behalf_of` the delegator. One hop only (a delegate's own delegations are not followed); never the delegator's or the delegate's own requests; a delegation the other way for an overlapping period is refused (`409 delegation_loop`).",
      tags: ["delegations"],
      security: approvers,
      body: {
        schema: DelegationRequestSchema,
        required: true,
        example: {
          to: "bob@acme.com",
          ends_at: "2026-12-24T08:00:00.000Z",
          action_types: ["payment", "refund*"],
          reason: "On leave",
        },
      },
      responses: { 201: { description: "The delegation", schema: DelegationSchema } },
      errors: [400, 401, 403, 409, 413, 503],
      async handle({ auth, body }) {
        const delegation = await createDelegation(context, body, actorOf(auth));
        return jsonResponse(renderDelegation(delegation, context.now()), 201);
      },
    }),
    keyRoute({
      operationId: "listDelegations",
      method: "get",
      path: "/v1/delegations",
      summary: "List delegations",
      description: "An admin sees every delegation; an approver those they gave or received.",
      tags: ["delegations"],
      security: approvers,
      query: DelegationQuerySchema,
      responses: { 200: { description: "Delegations, newest first", schema: DelegationListSchema } },
      errors: [400, 401, 403, 503],
      async handle({ auth, query }) {
        const now = context.now();
        const delegations = await listVisibleDelegations(context, actorOf(auth), query.status);
        return jsonResponse({
          object: "list",
          data: delegations.map((delegation) => renderDelegation(delegation, now)),
          has_more: false,
          next_cursor: null,
        });
      },
    }),
    keyRoute({
      operationId: "revokeDelegation",
      method: "delete",
      path: "/v1/delegations/{delegation_id}",
      summary: "Revoke a delegation",
      description:
        "Ends it at once, by its delegator, its delegate or an admin: no decision through it commits afterwards. Decisions already made stay made.",
      tags: ["delegations"],
      security: approvers,
      params: DelegationParamsSchema,
      body: { schema: RevokeDelegationRequestSchema, required: false },
      responses: { 200: { description: "The revoked delegation", schema: DelegationSchema } },
      errors: [400, 401, 403, 404, 503],
      async handle({ auth, params, body }) {
        const delegation = await revokeDelegation(context, params.delegation_id, actorOf(auth), body?.reason);
        return jsonResponse(renderDelegation(delegation, context.now()));
      },
    }),
  ];
}
