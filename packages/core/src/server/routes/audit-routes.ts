import { z } from "zod";
import { buildEvidenceBundle } from "../../audit/build-evidence-bundle.ts";
import { ConsistencyProofSchema } from "../../audit/consistency-proof.ts";
import { EvidenceBundleV2Schema } from "../../audit/evidence-bundle.ts";
import { CountersignError } from "../../errors/countersign-error.ts";
import { AuditCheckpointV2Schema } from "../../protocol/audit-checkpoint.ts";
import { AuditEventTypeSchema, AuditListSchema } from "../../protocol/audit-event.ts";
import { WebhookDeliverySchema } from "../../protocol/webhook-event.ts";
import type { DeliveryRecord } from "../../store/records.ts";
import { jsonResponse } from "../http/route.ts";
import { readOwnPause } from "../operations/read-pause.ts";
import { render } from "../service-context.ts";
import { keyRoute, type RouteDependencies } from "./route-context.ts";
import { listOf, PauseParamsSchema } from "./route-schemas.ts";

const AuditQuerySchema = z.strictObject({
  pause_id: z.string().min(1).optional(),
  agent_id: z.string().min(1).optional(),
  actor: z.string().min(1).optional().describe("The actor's id (an identity, a key id, a rule)."),
  type: AuditEventTypeSchema.optional(),
  since: z.iso.datetime().optional(),
  until: z.iso.datetime().optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.coerce.number().int().min(0).optional().describe("`next_cursor` of the previous page (a `seq`)."),
});

const ConsistencyQuerySchema = z.strictObject({
  from: z.coerce.number().int().min(0).describe("Size of the older checkpoint."),
});

const DeliveryParamsSchema = z.strictObject({ delivery_id: z.string().min(1).max(200) });

export function auditRoutes(dependencies: RouteDependencies) {
  const { context } = dependencies;
  return [
    keyRoute({
      operationId: "listAuditEvents",
      method: "get",
      path: "/v1/audit",
      summary: "Read the audit log",
      description: "Events in chain order (`seq`), filtered, with a cursor.",
      tags: ["audit"],
      security: { kind: "apiKey", roles: ["admin"] },
      query: AuditQuerySchema,
      responses: { 200: { description: "A page of audit events", schema: AuditListSchema } },
      errors: [400, 401, 403, 503],
      async handle({ query }) {
        const events = await context.store.listAudit({
          limit: query.limit + 1,
          ...(query.cursor !== undefined && { afterSeq: query.cursor }),
          ...(query.pause_id && { pauseId: query.pause_id }),
          ...(query.agent_id && { agentId: query.agent_id }),
          ...(query.actor && { actorId: query.actor }),
          ...(query.type && { type: query.type }),
          ...(query.since && { since: query.since }),
          ...(query.until && { until: query.until }),
        });
        const page = events.slice(0, query.limit);
        const hasMore = events.length > query.limit;
        return jsonResponse({
          object: "list",
          data: page,
          has_more: hasMore,
          next_cursor: hasMore ? String(page.at(-1)!.seq) : null,
        });
      },
    }),
    keyRoute({
      operationId: "signAuditCheckpoint",
      method: "get",
      path: "/v1/audit/checkpoint",
      summary: "Sign audit checkpoints",
      description:
        "A fresh Ed25519-signed checkpoint of the audit log now (tree size, Merkle root, chain head), signed only once the log is proven to extend the last checkpoint signed or witnessed. Keep it: later logs must still match it.",
      tags: ["audit"],
      security: { kind: "apiKey", roles: ["admin"] },
      responses: { 200: { description: "A signed checkpoint", schema: AuditCheckpointV2Schema } },
      errors: [401, 403, 500, 503],
      async handle() {
        return jsonResponse(await dependencies.checkpointer.checkpoint());
      },
    }),
    keyRoute({
      operationId: "proveAuditConsistency",
      method: "get",
      path: "/v1/audit/consistency",
      summary: "Prove audit consistency",
      description:
        "An RFC 9162 consistency proof from the log's first `from` events to a fresh checkpoint: a saved checkpoint of that size, with this proof, shows the log was only appended to since.",
      tags: ["audit"],
      security: { kind: "apiKey", roles: ["admin"] },
      query: ConsistencyQuerySchema,
      responses: { 200: { description: "A consistency proof", schema: ConsistencyProofSchema } },
      errors: [400, 401, 403, 500, 503],
      async handle({ query }) {
        return jsonResponse(await dependencies.checkpointer.consistency(query.from));
      },
    }),
    keyRoute({
      operationId: "getEvidenceBundle",
      method: "get",
      path: "/v1/pauses/{pause_id}/evidence",
      summary: "Read evidence bundles",
      description:
        "The pause, its proof, its own audit events with inclusion proofs and a signed checkpoint, verifiable offline with the public keys.",
      tags: ["audit"],
      security: { kind: "apiKey", roles: ["admin"] },
      params: PauseParamsSchema,
      responses: { 200: { description: "An evidence bundle", schema: EvidenceBundleV2Schema } },
      errors: [401, 403, 404, 503],
      async handle({ auth, params }) {
        const record = await readOwnPause(context, params.pause_id, auth);
        return jsonResponse(
          await buildEvidenceBundle({
            store: context.store,
            pause: render(context, record),
            checkpoint: await dependencies.checkpointer.checkpoint(),
            now: context.now(),
          }),
        );
      },
    }),
    keyRoute({
      operationId: "listWebhookDeliveries",
      method: "get",
      path: "/v1/pauses/{pause_id}/webhooks",
      summary: "Read webhook deliveries",
      description: "The pause's webhook deliveries, with their attempts so far.",
      tags: ["webhooks"],
      security: { kind: "apiKey", roles: ["agent", "admin"] },
      params: PauseParamsSchema,
      responses: { 200: { description: "The deliveries", schema: listOf(WebhookDeliverySchema) } },
      errors: [401, 403, 404, 503],
      async handle({ auth, params }) {
        const record = await readOwnPause(context, params.pause_id, auth);
        const deliveries = await context.store.listDeliveries(record.pauseId);
        return jsonResponse({
          object: "list",
          data: deliveries.map(renderDelivery),
          has_more: false,
          next_cursor: null,
        });
      },
    }),
    keyRoute({
      operationId: "redeliverWebhook",
      method: "post",
      path: "/v1/webhooks/{delivery_id}/redeliver",
      summary: "Redeliver webhooks",
      description: "Makes a delivery pending and due now again (after a receiver was fixed).",
      tags: ["webhooks"],
      security: { kind: "apiKey", roles: ["admin"] },
      params: DeliveryParamsSchema,
      responses: { 202: { description: "Queued for delivery", schema: WebhookDeliverySchema } },
      errors: [401, 403, 404, 503],
      async handle({ auth, params }) {
        const deliveryId = params.delivery_id;
        const now = context.now().toISOString();
        const delivery = await context.store.redeliver(deliveryId, now, {
          type: "webhook.redelivered",
          pauseId: null,
          agentId: null,
          actor: { kind: "admin", id: auth.keyId },
          at: now,
          data: { delivery_id: deliveryId },
        });
        if (!delivery) throw new CountersignError("not_found", `No webhook delivery ${deliveryId}`);
        context.wakeDeliveries();
        return jsonResponse(renderDelivery(delivery), 202);
      },
    }),
  ];
}

function renderDelivery(delivery: DeliveryRecord) {
  return {
    object: "webhook_delivery",
    delivery_id: delivery.deliveryId,
    pause_id: delivery.pauseId,
    endpoint_id: delivery.endpointId,
    url: delivery.url,
    status: delivery.status,
    attempts: delivery.attempts,
    next_attempt_at: delivery.nextAttemptAt,
    last_status: delivery.lastStatus,
    last_error: delivery.lastError,
    created_at: delivery.createdAt,
  };
}
