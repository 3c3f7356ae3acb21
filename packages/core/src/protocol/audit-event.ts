import { z } from "zod";
import { JsonValueSchema } from "./json-value.ts";

export const AuditEventTypeSchema = z.enum([
  "pause.opened",
  "pause.routed",
  "pause.notified",
  "pause.viewed",
  "pause.decided",
  "pause.escalated",
  "pause.expired",
  "pause.claimed",
  "pause.executed",
  "pause.cancelled",
  "webhook.attempted",
  "webhook.delivered",
  "webhook.failed",
  "webhook.redelivered",
  "webhook_endpoint.created",
  "webhook_endpoint.updated",
  "webhook_endpoint.secret_rotated",
  "webhook_endpoint.deleted",
  "grant.created",
  "grant.used",
  "grant.revoked",
  "delegation.created",
  "delegation.revoked",
]);
export type AuditEventType = z.infer<typeof AuditEventTypeSchema>;

export const AuditActorSchema = z.strictObject({
  kind: z.enum(["agent", "executor", "human", "policy", "system", "admin"]),
  id: z.string(),
});
export type AuditActor = z.infer<typeof AuditActorSchema>;

/**
 * One link of the append-only audit chain:
 * `hash = "sha256:" + hex(SHA-256(prev_hash || JCS(event without hash)))`.
 */
export const AuditEventSchema = z
  .strictObject({
    seq: z.int().min(1),
    event_id: z.string(),
    type: AuditEventTypeSchema,
    pause_id: z.string().nullable(),
    agent_id: z.string().nullable(),
    actor: AuditActorSchema,
    at: z.iso.datetime(),
    data: z.record(z.string(), JsonValueSchema),
    prev_hash: z.string(),
    hash: z.string(),
  })
  .meta({ id: "AuditEvent" });
export type AuditEvent = z.infer<typeof AuditEventSchema>;

export const AuditListSchema = z
  .strictObject({
    object: z.literal("list"),
    data: z.array(AuditEventSchema),
    has_more: z.boolean(),
    next_cursor: z.string().nullable(),
  })
  .meta({ id: "AuditList" });
