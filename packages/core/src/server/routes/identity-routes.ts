import { z } from "zod";
import { CountersignError } from "../../errors/countersign-error.ts";
import {
  type Identity,
  IdentityInputSchema,
  IdentityListSchema,
  IdentitySchema,
} from "../../protocol/identity.ts";
import type { IdentityRecord } from "../../store/records.ts";
import { jsonResponse } from "../http/route.ts";
import { checkIdentity, saveIdentity } from "../save-identity.ts";
import { keyRoute, type RouteDependencies } from "./route-context.ts";

const IdentityParamsSchema = z.strictObject({
  identity: z.string().min(1).max(320).describe("The identity, usually an e-mail address."),
});

/** Approver identities (admin): who may approve, how channels recognise them, their groups. */
export function identityRoutes(dependencies: RouteDependencies) {
  const { context } = dependencies;
  const admin = { kind: "apiKey", roles: ["admin"] } as const;
  return [
    keyRoute({
      operationId: "listIdentities",
      method: "get",
      path: "/v1/identities",
      summary: "List identities",
      tags: ["identities"],
      security: admin,
      responses: { 200: { description: "Every identity", schema: IdentityListSchema } },
      errors: [401, 403, 503],
      async handle() {
        const identities = await context.store.listIdentities();
        return jsonResponse({
          object: "list",
          data: identities.map(renderIdentity),
          has_more: false,
          next_cursor: null,
        });
      },
    }),
    keyRoute({
      operationId: "getIdentity",
      method: "get",
      path: "/v1/identities/{identity}",
      summary: "Read identities",
      tags: ["identities"],
      security: admin,
      params: IdentityParamsSchema,
      responses: { 200: { description: "The identity", schema: IdentitySchema } },
      errors: [400, 401, 403, 404, 503],
      async handle({ params }) {
        const identity = checkIdentity(params.identity);
        const record = await context.store.getIdentity(identity);
        if (!record) throw new CountersignError("not_found", `No identity ${identity}`);
        return jsonResponse(renderIdentity(record));
      },
    }),
    keyRoute({
      operationId: "putIdentity",
      method: "put",
      path: "/v1/identities/{identity}",
      summary: "Manage identities",
      description:
        "Creates or replaces the whole record (fields left out are cleared). A Slack user already mapped to someone else is refused.",
      tags: ["identities"],
      security: admin,
      params: IdentityParamsSchema,
      body: {
        schema: IdentityInputSchema,
        required: true,
        example: { email: "alice@acme.com", display_name: "Alice", groups: ["finance"] },
      },
      responses: {
        200: { description: "Replaced", schema: IdentitySchema },
        201: { description: "Created", schema: IdentitySchema },
      },
      errors: [400, 401, 403, 413, 503],
      async handle({ params, body }) {
        const identity = checkIdentity(params.identity);
        const { record, created } = await saveIdentity(context.store, identity, body, context.now());
        return jsonResponse(renderIdentity(record), created ? 201 : 200);
      },
    }),
    keyRoute({
      operationId: "deleteIdentity",
      method: "delete",
      path: "/v1/identities/{identity}",
      summary: "Remove identities",
      tags: ["identities"],
      security: admin,
      params: IdentityParamsSchema,
      responses: { 204: { description: "Removed" } },
      errors: [400, 401, 403, 404, 503],
      async handle({ params }) {
        const identity = checkIdentity(params.identity);
        if (!(await context.store.deleteIdentity(identity))) {
          throw new CountersignError("not_found", `No identity ${identity}`);
        }
        return new Response(null, { status: 204 });
      },
    }),
  ];
}

export function renderIdentity(record: IdentityRecord): Identity {
  return {
    object: "identity",
    identity: record.identity,
    email: record.email,
    slack_user_id: record.slackUserId,
    teams_user_id: record.teamsUserId ?? null,
    display_name: record.displayName,
    groups: record.groups,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
  };
}
