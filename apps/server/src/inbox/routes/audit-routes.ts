import { type AuditEvent, AuditEventTypeSchema, AuditListSchema } from "@countersign/core";
import type { AuditQuery, Route } from "@countersign/core/server";
import { z } from "zod";
import { jsonResponse } from "../http/responses.ts";
import type { InboxContext } from "../inbox-context.ts";
import { type InboxAuth, sessionRoute } from "./inbox-route.ts";

const AuditFilterSchema = z.strictObject({
  pause_id: z.string().min(1).optional(),
  agent_id: z.string().min(1).optional(),
  actor: z.string().min(1).optional(),
  type: AuditEventTypeSchema.optional(),
  since: z.iso.datetime().optional(),
  until: z.iso.datetime().optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.coerce.number().int().min(0).optional(),
});
type AuditFilter = z.output<typeof AuditFilterSchema>;

const EXPORT_BATCH = 1000;

/** The admin audit view: filtered pages, and the whole filtered log as JSON Lines. */
export function auditRoutes(context: InboxContext): Route<InboxAuth>[] {
  return [
    sessionRoute({
      operationId: "inboxAuditLog",
      method: "get",
      path: "/inbox/api/audit",
      summary: "Read the audit log",
      tags: ["inbox"],
      security: { kind: "session", roles: ["admin"] },
      query: AuditFilterSchema,
      responses: { 200: { description: "A page of audit events, oldest first", schema: AuditListSchema } },
      errors: [400, 401, 403],
      async handle({ query: filter }) {
        const events = await context.store.listAudit(storeQuery(filter, filter.limit + 1, filter.cursor));
        const page = events.slice(0, filter.limit);
        const hasMore = events.length > filter.limit;
        return jsonResponse({
          object: "list",
          data: page,
          has_more: hasMore,
          next_cursor: hasMore ? String(page.at(-1)!.seq) : null,
        });
      },
    }),
    sessionRoute({
      operationId: "inboxExportAuditLog",
      method: "get",
      path: "/inbox/api/audit/export",
      summary: "Export the audit log",
      description: "The whole filtered log as JSON Lines, one audit event a line.",
      tags: ["inbox"],
      security: { kind: "session", roles: ["admin"] },
      query: AuditFilterSchema,
      responses: {
        200: { description: "Audit events, one JSON object a line", contentType: "application/x-ndjson" },
      },
      errors: [400, 401, 403],
      handle({ query: filter }) {
        const encoder = new TextEncoder();
        let afterSeq = filter.cursor;
        // Pulled batch by batch, so a long log never sits in memory at once.
        const body = new ReadableStream<Uint8Array>({
          async pull(controller) {
            const batch: AuditEvent[] = await context.store.listAudit(
              storeQuery(filter, EXPORT_BATCH, afterSeq),
            );
            if (batch.length > 0) {
              controller.enqueue(encoder.encode(batch.map((event) => `${JSON.stringify(event)}\n`).join("")));
              afterSeq = batch.at(-1)!.seq;
            }
            if (batch.length < EXPORT_BATCH) controller.close();
          },
        });
        const day = context.now().toISOString().slice(0, 10);
        return new Response(body, {
          headers: {
            "content-type": "application/x-ndjson; charset=utf-8",
            "content-disposition": `attachment; filename="countersign-audit-${day}.jsonl"`,
            "cache-control": "no-store",
          },
        });
      },
    }),
  ];
}

function storeQuery(filter: AuditFilter, limit: number, afterSeq: number | undefined): AuditQuery {
  return {
    limit,
    ...(afterSeq !== undefined && { afterSeq }),
    ...(filter.pause_id && { pauseId: filter.pause_id }),
    ...(filter.agent_id && { agentId: filter.agent_id }),
    ...(filter.actor && { actorId: filter.actor }),
    ...(filter.type && { type: filter.type }),
    ...(filter.since && { since: filter.since }),
    ...(filter.until && { until: filter.until }),
  };
}
