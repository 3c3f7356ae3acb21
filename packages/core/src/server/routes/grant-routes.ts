import { z } from "zod";
import { CountersignError } from "../../errors/countersign-error.ts";
import {
  GrantListSchema,
  GrantRequestSchema,
  GrantSchema,
  GrantStatusSchema,
  RevokeGrantRequestSchema,
} from "../../protocol/grant.ts";
import type { ApiKeyRecord } from "../../store/records.ts";
import { createGrant, type GrantActor } from "../grants/create-grant.ts";
import { grantStatus, renderGrant } from "../grants/render-grant.ts";
import { revokeGrant } from "../grants/revoke-grant.ts";
import { jsonResponse } from "../http/route.ts";
import { keyRoute, type RouteDependencies } from "./route-context.ts";

const GrantParamsSchema = z.strictObject({
  grant_id: z.string().min(1).max(100).describe("The grant, `grt_…`."),
});

const GrantQuerySchema = z.strictObject({
  status: GrantStatusSchema.optional().describe("Only grants in this state now."),
});

function actorOf(key: ApiKeyRecord): GrantActor {
  return { identity: key.identity, admin: key.role === "admin", keyId: key.keyId };
}

/** Standing grants: an approver's bounded approval of future pauses that fit it. */
export function grantRoutes(dependencies: RouteDependencies) {
  const { context } = dependencies;
  const approvers = { kind: "apiKey", roles: ["approver", "admin"] } as const;
  return [
    keyRoute({
      operationId: "createGrant",
      method: "post",
      path: "/v1/grants",
      summary: "Grant a standing approval",
      description:
        "Approves future pauses that fit: these agents, this action type, these conditions, up to `max_count` pauses and `max_total` over a numeric field, until `expires_at` (at most the policy's `grants.max_duration`). Only a known, active approver may grant; each use is checked against the grantor's own right to decide that pause, never covers the grantor's own requests and never a pause the policy denies or that needs several approvals.",
      tags: ["grants"],
      security: approvers,
      body: {
        schema: GrantRequestSchema,
        required: true,
        example: {
          agent_ids: ["support-bot"],
          action_type: "refund",
          conditions: ["amount <= 200"],
          max_count: 20,
          max_total: { field: "amount", max: 2000 },
          expires_in: 3600,
          reason: "Refund backlog after the outage",
        },
      },
      responses: { 201: { description: "The grant, active now", schema: GrantSchema } },
      errors: [400, 401, 403, 413, 503],
      async handle({ auth, body }) {
        const grant = await createGrant(context, body, actorOf(auth));
        return jsonResponse(renderGrant(grant, context.now()), 201);
      },
    }),
    keyRoute({
      operationId: "listGrants",
      method: "get",
      path: "/v1/grants",
      summary: "List standing grants",
      tags: ["grants"],
      security: approvers,
      query: GrantQuerySchema,
      responses: { 200: { description: "Grants, newest first", schema: GrantListSchema } },
      errors: [400, 401, 403, 503],
      async handle({ query }) {
        const now = context.now();
        const grants = await context.store.listGrants({});
        const shown = query.status
          ? grants.filter((grant) => grantStatus(grant, now) === query.status)
          : grants;
        return jsonResponse({
          object: "list",
          data: shown.map((grant) => renderGrant(grant, now)),
          has_more: false,
          next_cursor: null,
        });
      },
    }),
    keyRoute({
      operationId: "getGrant",
      method: "get",
      path: "/v1/grants/{grant_id}",
      summary: "Read a standing grant",
      description: "The grant with what is left of it (`remaining_count`, `remaining_total`).",
      tags: ["grants"],
      security: approvers,
      params: GrantParamsSchema,
      responses: { 200: { description: "The grant", schema: GrantSchema } },
      errors: [400, 401, 403, 404, 503],
      async handle({ params }) {
        const grant = await context.store.getGrant(params.grant_id);
        if (!grant) throw new CountersignError("not_found", `No grant ${params.grant_id}`);
        return jsonResponse(renderGrant(grant, context.now()));
      },
    }),
    keyRoute({
      operationId: "revokeGrant",
      method: "delete",
      path: "/v1/grants/{grant_id}",
      summary: "Revoke a standing grant",
      description: "Ends it at once, by its grantor or an admin. Pauses it already approved stay approved.",
      tags: ["grants"],
      security: approvers,
      params: GrantParamsSchema,
      body: { schema: RevokeGrantRequestSchema, required: false },
      responses: { 200: { description: "The revoked grant", schema: GrantSchema } },
      errors: [400, 401, 403, 404, 503],
      async handle({ auth, params, body }) {
        const grant = await revokeGrant(context, params.grant_id, actorOf(auth), body?.reason);
        return jsonResponse(renderGrant(grant, context.now()));
      },
    }),
  ];
}
