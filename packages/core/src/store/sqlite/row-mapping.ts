import type { SQLInputValue } from "node:sqlite";
import type { AuditEvent } from "../../protocol/audit-event.ts";
import { readRouting } from "../read-routing.ts";
import type {
  ApiKeyRecord,
  DeliveryAttemptRecord,
  DeliveryRecord,
  JsonObject,
  PauseRecord,
} from "../records.ts";
import { canonicalTimestamp, canonicalTimestampOrNull } from "./timestamps.ts";

// Rows come back as plain objects of SQLite values; each mapper names the columns it reads.
type Row = Record<string, unknown>;
type Parameters = Record<string, SQLInputValue>;

function text(row: Row, column: string): string {
  return String(row[column]);
}

function textOrNull(row: Row, column: string): string | null {
  const value = row[column];
  return value === null || value === undefined ? null : String(value);
}

function numberOrNull(row: Row, column: string): number | null {
  const value = row[column];
  return value === null || value === undefined ? null : Number(value);
}

/** JSON columns hold what this store wrote, so they are parsed without a schema. */
function json<T>(row: Row, column: string): T {
  return JSON.parse(text(row, column)) as T;
}

function jsonOrNull<T>(row: Row, column: string): T | null {
  const value = textOrNull(row, column);
  return value === null ? null : (JSON.parse(value) as T);
}

function toJson(value: unknown): string {
  return JSON.stringify(value);
}

function toJsonOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

export const PAUSE_COLUMNS =
  "pause_id, status, agent_id, action_type, action, action_digest, recipients, webhook_url, context, metadata, owner_key_id, requested_by, routing, created_at, expires_at, decision, proof, claimed_at, escalate_at, claimed_by, execution";

export function pauseToParameters(pause: PauseRecord): Parameters {
  return {
    pause_id: pause.pauseId,
    status: pause.status,
    agent_id: pause.agentId,
    action_type: pause.action.type,
    action: toJson(pause.action),
    action_digest: pause.actionDigest,
    recipients: toJson(pause.recipients),
    webhook_url: pause.webhookUrl,
    context: toJson(pause.context),
    metadata: toJson(pause.metadata),
    owner_key_id: pause.ownerKeyId,
    requested_by: pause.requestedBy,
    routing: toJsonOrNull(pause.routing),
    created_at: canonicalTimestamp(pause.createdAt),
    expires_at: canonicalTimestamp(pause.expiresAt),
    decision: toJsonOrNull(pause.decision),
    proof: toJsonOrNull(pause.proof),
    claimed_at: canonicalTimestampOrNull(pause.claimedAt),
    escalate_at: canonicalTimestampOrNull(pause.escalateAt ?? null),
    claimed_by: pause.claimedBy ?? null,
    execution: toJsonOrNull(pause.execution ?? null),
  };
}

export function rowToPause(row: Row): PauseRecord {
  return {
    pauseId: text(row, "pause_id"),
    status: text(row, "status") as PauseRecord["status"],
    agentId: text(row, "agent_id"),
    action: json(row, "action"),
    actionDigest: text(row, "action_digest"),
    recipients: json(row, "recipients"),
    webhookUrl: textOrNull(row, "webhook_url"),
    context: json<JsonObject>(row, "context"),
    metadata: json<JsonObject>(row, "metadata"),
    ownerKeyId: textOrNull(row, "owner_key_id"),
    requestedBy: textOrNull(row, "requested_by"),
    routing: readRouting(jsonOrNull(row, "routing")),
    createdAt: text(row, "created_at"),
    expiresAt: text(row, "expires_at"),
    decision: jsonOrNull(row, "decision"),
    proof: jsonOrNull(row, "proof"),
    claimedAt: textOrNull(row, "claimed_at"),
    ...withEscalateAt(textOrNull(row, "escalate_at")),
    ...withExecution(textOrNull(row, "claimed_by"), jsonOrNull(row, "execution")),
  };
}

/** `escalateAt` only when set, so a pause without escalation reads back as it was written. */
function withEscalateAt(escalateAt: string | null): { escalateAt?: string } {
  return escalateAt === null ? {} : { escalateAt };
}

/** `claimedBy` and `execution` only when set, so a pause from before receipts reads back as it was written. */
function withExecution(
  claimedBy: string | null,
  execution: PauseRecord["execution"],
): Pick<PauseRecord, "claimedBy" | "execution"> {
  return {
    ...(claimedBy !== null && { claimedBy }),
    ...(execution !== null && execution !== undefined && { execution }),
  };
}

export const API_KEY_COLUMNS =
  "key_id, hash, role, identity, name, agent_ids, action_types, created_at, revoked_at";

export function apiKeyToParameters(key: ApiKeyRecord): Parameters {
  return {
    key_id: key.keyId,
    hash: key.hash,
    role: key.role,
    identity: key.identity,
    name: key.name,
    agent_ids: key.agentIds === null ? null : JSON.stringify(key.agentIds),
    action_types: key.actionTypes === null ? null : JSON.stringify(key.actionTypes),
    created_at: canonicalTimestamp(key.createdAt),
    revoked_at: canonicalTimestampOrNull(key.revokedAt),
  };
}

export function rowToApiKey(row: Row): ApiKeyRecord {
  return {
    keyId: text(row, "key_id"),
    hash: text(row, "hash"),
    role: text(row, "role") as ApiKeyRecord["role"],
    identity: textOrNull(row, "identity"),
    name: textOrNull(row, "name"),
    agentIds: jsonListOrNull(row, "agent_ids"),
    actionTypes: jsonListOrNull(row, "action_types"),
    createdAt: text(row, "created_at"),
    revokedAt: textOrNull(row, "revoked_at"),
  };
}

function jsonListOrNull(row: Row, column: string): string[] | null {
  const value = textOrNull(row, column);
  return value === null ? null : (JSON.parse(value) as string[]);
}

export const DELIVERY_COLUMNS =
  "delivery_id, pause_id, url, payload, status, attempts, next_attempt_at, lease_until, last_status, last_error, created_at, endpoint_id";

export function deliveryToParameters(delivery: DeliveryRecord): Parameters {
  return {
    delivery_id: delivery.deliveryId,
    pause_id: delivery.pauseId,
    url: delivery.url,
    payload: delivery.payload,
    status: delivery.status,
    attempts: delivery.attempts,
    next_attempt_at: canonicalTimestampOrNull(delivery.nextAttemptAt),
    lease_until: canonicalTimestampOrNull(delivery.leaseUntil),
    last_status: delivery.lastStatus,
    last_error: delivery.lastError,
    created_at: canonicalTimestamp(delivery.createdAt),
    endpoint_id: delivery.endpointId,
  };
}

export function rowToDelivery(row: Row): DeliveryRecord {
  return {
    deliveryId: text(row, "delivery_id"),
    pauseId: text(row, "pause_id"),
    url: text(row, "url"),
    payload: text(row, "payload"),
    status: text(row, "status") as DeliveryRecord["status"],
    attempts: Number(row.attempts),
    nextAttemptAt: textOrNull(row, "next_attempt_at"),
    leaseUntil: textOrNull(row, "lease_until"),
    lastStatus: numberOrNull(row, "last_status"),
    lastError: textOrNull(row, "last_error"),
    createdAt: text(row, "created_at"),
    endpointId: textOrNull(row, "endpoint_id"),
  };
}

export const DELIVERY_ATTEMPT_COLUMNS = "delivery_id, attempt, at, status, error, duration_ms";

export function rowToDeliveryAttempt(row: Row): DeliveryAttemptRecord {
  return {
    deliveryId: text(row, "delivery_id"),
    attempt: Number(row.attempt),
    at: text(row, "at"),
    status: numberOrNull(row, "status"),
    error: textOrNull(row, "error"),
    durationMs: Number(row.duration_ms),
  };
}

export const AUDIT_COLUMNS = "seq, event_id, type, pause_id, agent_id, actor, at, data, prev_hash, hash";

/** Audit events keep `at` exactly as hashed; `at_ms` is only for range filters. */
export function auditEventToParameters(event: AuditEvent): Parameters {
  return {
    seq: event.seq,
    event_id: event.event_id,
    type: event.type,
    pause_id: event.pause_id,
    agent_id: event.agent_id,
    actor: toJson(event.actor),
    actor_id: event.actor.id,
    at: event.at,
    at_ms: Date.parse(event.at),
    data: toJson(event.data),
    prev_hash: event.prev_hash,
    hash: event.hash,
  };
}

export function rowToAuditEvent(row: Row): AuditEvent {
  return {
    seq: Number(row.seq),
    event_id: text(row, "event_id"),
    type: text(row, "type") as AuditEvent["type"],
    pause_id: textOrNull(row, "pause_id"),
    agent_id: textOrNull(row, "agent_id"),
    actor: json(row, "actor"),
    at: text(row, "at"),
    data: json(row, "data"),
    prev_hash: text(row, "prev_hash"),
    hash: text(row, "hash"),
  };
}

export function insertSql(table: string, columns: string): string {
  const names = columns.split(",").map((column) => column.trim());
  return `INSERT INTO ${table} (${names.join(", ")}) VALUES (${names.map((name) => `:${name}`).join(", ")})`;
}
