import type { Hono } from "hono";
import { z } from "zod";
import { buildEvidenceBundle } from "../../audit/build-evidence-bundle.ts";
import { CountersignError } from "../../errors/countersign-error.ts";
import { AuditEventTypeSchema } from "../../protocol/audit-event.ts";
import { parseOrThrow } from "../../protocol/parse.ts";
import { readOwnPause } from "../operations/read-pause.ts";
import { render } from "../service-context.ts";
import { type RouteDependencies, requireKey } from "./route-context.ts";

const AuditQuerySchema = z.strictObject({
  pause_id: z.string().min(1).optional(),
  agent_id: z.string().min(1).optional(),
  actor: z.string().min(1).optional(),
  type: AuditEventTypeSchema.optional(),
  since: z.iso.datetime().optional(),
  until: z.iso.datetime().optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.coerce.number().int().min(0).optional(),
});

const ConsistencyQuerySchema = z.strictObject({
  from: z.coerce.number().int().min(0).describe("Size of the older checkpoint."),
});

export function registerAuditRoutes(app: Hono, dependencies: RouteDependencies): void {
  const { context } = dependencies;

  app.get("/v1/audit", async (c) => {
    await requireKey(dependencies, c, ["admin"], "read the audit log");
    const query = parseOrThrow(AuditQuerySchema, c.req.query(), "query");
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
    return c.json({
      object: "list",
      data: page,
      has_more: hasMore,
      next_cursor: hasMore ? String(page.at(-1)!.seq) : null,
    });
  });

  app.get("/v1/audit/checkpoint", async (c) => {
    await requireKey(dependencies, c, ["admin"], "sign audit checkpoints");
    return c.json(await dependencies.checkpointer.checkpoint());
  });

  app.get("/v1/audit/consistency", async (c) => {
    await requireKey(dependencies, c, ["admin"], "prove audit consistency");
    const { from } = parseOrThrow(ConsistencyQuerySchema, c.req.query(), "query");
    return c.json(await dependencies.checkpointer.consistency(from));
  });

  app.get("/v1/pauses/:pauseId/evidence", async (c) => {
    const key = await requireKey(dependencies, c, ["admin"], "read evidence bundles");
    const record = await readOwnPause(context, c.req.param("pauseId"), key);
    return c.json(
      await buildEvidenceBundle({
        store: context.store,
        pause: render(context, record),
        checkpoint: await dependencies.checkpointer.checkpoint(),
        now: context.now(),
      }),
    );
  });

  app.get("/v1/pauses/:pauseId/webhooks", async (c) => {
    const key = await requireKey(dependencies, c, ["agent", "admin"], "read webhook deliveries");
    const record = await readOwnPause(context, c.req.param("pauseId"), key);
    const deliveries = await context.store.listDeliveries(record.pauseId);
    return c.json({
      object: "list",
      data: deliveries.map(renderDelivery),
      has_more: false,
      next_cursor: null,
    });
  });

  app.post("/v1/webhooks/:deliveryId/redeliver", async (c) => {
    const key = await requireKey(dependencies, c, ["admin"], "redeliver webhooks");
    const deliveryId = c.req.param("deliveryId");
    const now = context.now().toISOString();
    const delivery = await context.store.redeliver(deliveryId, now, {
      type: "webhook.redelivered",
      pauseId: null,
      agentId: null,
      actor: { kind: "admin", id: key.keyId },
      at: now,
      data: { delivery_id: deliveryId },
    });
    if (!delivery) throw new CountersignError("not_found", `No webhook delivery ${deliveryId}`);
    context.wakeDeliveries();
    return c.json(renderDelivery(delivery), 202);
  });
}

function renderDelivery(delivery: {
  deliveryId: string;
  pauseId: string;
  url: string;
  status: string;
  attempts: number;
  nextAttemptAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: string;
}) {
  return {
    object: "webhook_delivery",
    delivery_id: delivery.deliveryId,
    pause_id: delivery.pauseId,
    url: delivery.url,
    status: delivery.status,
    attempts: delivery.attempts,
    next_attempt_at: delivery.nextAttemptAt,
    last_status: delivery.lastStatus,
    last_error: delivery.lastError,
    created_at: delivery.createdAt,
  };
}
