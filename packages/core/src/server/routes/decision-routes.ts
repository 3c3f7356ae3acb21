import { CountersignError } from "../../errors/countersign-error.ts";
import {
  BatchDecisionRequestSchema,
  BatchDecisionResultSchema,
  MAX_BATCH_DECISIONS,
} from "../../protocol/batch-decision.ts";
import { CancelRequestSchema, ClaimRequestSchema, DecisionRequestSchema } from "../../protocol/decision.ts";
import { ClaimSchema, PauseSchema } from "../../protocol/pause.ts";
import { jsonResponse } from "../http/route.ts";
import { cancelPause } from "../operations/cancel-pause.ts";
import { claimPause } from "../operations/claim-pause.ts";
import { decideBatch } from "../operations/decide-batch.ts";
import { decidePause } from "../operations/decide-pause.ts";
import { render } from "../service-context.ts";
import { keyRoute, type RouteDependencies } from "./route-context.ts";
import { PauseParamsSchema } from "./route-schemas.ts";

export function decisionRoutes(dependencies: RouteDependencies) {
  const { context } = dependencies;
  return [
    keyRoute({
      operationId: "decidePause",
      method: "post",
      path: "/v1/pauses/{pause_id}/decision",
      summary: "Decide a pause",
      description:
        "Approve, reject (with a reason), or approve with edited arguments (`data`). A compare-and-set: of concurrent deciders exactly one wins. Only people the pause was routed to, never its requester; `override` (admin, with a reason) bypasses routing and quorum.",
      tags: ["decisions"],
      security: { kind: "apiKey", roles: ["approver", "admin"] },
      params: PauseParamsSchema,
      body: {
        schema: DecisionRequestSchema,
        required: true,
        example: { decision: "approve", reason: "Invoice matches PO-1182" },
      },
      responses: {
        200: {
          description: "The pause with its decision and proof (or its quorum progress)",
          schema: PauseSchema,
        },
      },
      errors: [400, 401, 403, 404, 409, 413, 503],
      async handle({ auth, params, body }) {
        const pauseId = params.pause_id;
        if (!auth.identity) {
          throw new CountersignError(
            "forbidden",
            "This key has no approver identity; create it with --identity",
            {
              pauseId,
            },
          );
        }
        if (body.override && auth.role !== "admin") {
          throw new CountersignError("forbidden", "Only an admin key may override (break-glass)", {
            pauseId,
          });
        }
        const pause = await decidePause(
          context,
          pauseId,
          {
            decision: body.decision,
            ...(body.reason !== undefined && { reason: body.reason }),
            ...(body.data !== undefined && { data: body.data }),
          },
          { identity: auth.identity, channel: "api" },
          body.override && body.reason !== undefined ? { override: { reason: body.reason } } : {},
        );
        return jsonResponse(render(context, pause));
      },
    }),
    keyRoute({
      operationId: "decidePauses",
      method: "post",
      path: "/v1/decisions",
      summary: "Decide many pauses",
      description: `One decision (and reason) for up to ${MAX_BATCH_DECISIONS} pauses. Each pause is decided exactly as \`POST /v1/pauses/{pause_id}/decision\` would decide it alone — its own routing, quorum, self-approval rule, compare-and-set, proof and audit events — so a batch never lets anyone decide what they could not decide one by one. Always 200 with one result per pause, in order; an item that was not decided carries the error the single decision would have returned. No edits and no override in a batch.`,
      tags: ["decisions"],
      security: { kind: "apiKey", roles: ["approver", "admin"] },
      body: {
        schema: BatchDecisionRequestSchema,
        required: true,
        example: { pause_ids: ["pau_…", "pau_…"], decision: "approve", reason: "Reviewed the refund queue" },
      },
      responses: {
        200: { description: "One result per pause, in request order", schema: BatchDecisionResultSchema },
      },
      errors: [400, 401, 403, 413, 503],
      async handle({ auth, body }) {
        if (!auth.identity) {
          throw new CountersignError(
            "forbidden",
            "This key has no approver identity; create it with --identity",
          );
        }
        return jsonResponse(await decideBatch(context, body, { identity: auth.identity, channel: "api" }));
      },
    }),
    keyRoute({
      operationId: "claimPause",
      method: "post",
      path: "/v1/pauses/{pause_id}/claim",
      summary: "Claim an approved pause",
      description:
        "The single-use execution claim: the first caller holding an approved, valid proof gets 200; every later caller 409 `already_claimed`. Claim right before running the action. An executor key (a service where the action happens) claims any pause, and must name the `proof_id` it verified; the claiming key is the one that reports the receipt.",
      tags: ["decisions"],
      security: { kind: "apiKey", roles: ["agent", "executor"] },
      params: PauseParamsSchema,
      body: { schema: ClaimRequestSchema, required: false },
      responses: { 200: { description: "Claimed: run the action now", schema: ClaimSchema } },
      errors: [400, 401, 403, 404, 409, 503],
      async handle({ auth, params, body }) {
        return jsonResponse(await claimPause(context, params.pause_id, auth, body.proof_id));
      },
    }),
    keyRoute({
      operationId: "cancelPause",
      method: "post",
      path: "/v1/pauses/{pause_id}/cancel",
      summary: "Cancel a pending pause",
      tags: ["pauses"],
      security: { kind: "apiKey", roles: ["agent"] },
      params: PauseParamsSchema,
      body: { schema: CancelRequestSchema, required: false },
      responses: { 200: { description: "The cancelled pause", schema: PauseSchema } },
      errors: [400, 401, 403, 404, 409, 503],
      async handle({ auth, params, body }) {
        return jsonResponse(render(context, await cancelPause(context, params.pause_id, auth, body.reason)));
      },
    }),
  ];
}
