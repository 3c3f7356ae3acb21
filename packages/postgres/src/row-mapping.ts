import type { AuditEvent } from "@countersign/core";
import type {
  ApiKeyRecord,
  DeliveryAttemptRecord,
  DeliveryRecord,
  IdentityRecord,
  JsonObject,
  PauseRecord,
} from "@countersign/core/server";
import { readRouting } from "@countersign/core/server";
import type { Row } from "./database.ts";
import {
  canonicalTimestamp,
  canonicalTimestampOrNull,
  fromTimestamp,
  fromTimestampOrNull,
} from "./timestamps.ts";

// node-postgres parses `json` columns itself; `bigint` comes back as text and `timestamptz` as a Date.

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

function json<T>(row: Row, column: string): T {
  return row[column] as T;
}

function jsonOrNull<T>(row: Row, column: string): T | null {
  const value = row[column];
  return value === null || value === undefined ? null : (value as T);
}

/** JSON goes in as text: node-postgres would turn a JavaScript array into a Postgres array. */
export function toJson(value: unknown): string {
  return JSON.stringify(value);
}

export function toJsonOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

export const PAUSE_COLUMNS =
  "pause_id, status, agent_id, action_type, action, action_digest, recipients, webhook_url, context, metadata, owner_key_id, requested_by, routing, created_at, expires_at, decision, proof, claimed_at, escalate_at, claimed_by, execution";

/** `$1…$21` in `PAUSE_COLUMNS` order, with the casts the columns need. */
export const PAUSE_PLACEHOLDERS =
  "$1, $2, $3, $4, $5::json, $6, $7::json, $8, $9::json, $10::json, $11, $12, $13::json, $14::timestamptz, $15::timestamptz, $16::json, $17::json, $18::timestamptz, $19::timestamptz, $20, $21::json";

export function pauseValues(pause: PauseRecord): unknown[] {
  return [
    pause.pauseId,
    pause.status,
    pause.agentId,
    pause.action.type,
    toJson(pause.action),
    pause.actionDigest,
    toJson(pause.recipients),
    pause.webhookUrl,
    toJson(pause.context),
    toJson(pause.metadata),
    pause.ownerKeyId,
    pause.requestedBy,
    toJsonOrNull(pause.routing),
    canonicalTimestamp(pause.createdAt),
    canonicalTimestamp(pause.expiresAt),
    toJsonOrNull(pause.decision),
    toJsonOrNull(pause.proof),
    canonicalTimestampOrNull(pause.claimedAt),
    canonicalTimestampOrNull(pause.escalateAt ?? null),
    pause.claimedBy ?? null,
    toJsonOrNull(pause.execution ?? null),
  ];
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
    createdAt: fromTimestamp(row.created_at),
    expiresAt: fromTimestamp(row.expires_at),
    decision: jsonOrNull(row, "decision"),
    proof: jsonOrNull(row, "proof"),
    claimedAt: fromTimestampOrNull(row.claimed_at),
    ...withEscalateAt(fromTimestampOrNull(row.escalate_at)),
    ...withExecution(textOrNull(row, "claimed_by"), jsonOrNull(row, "execution")),
  };
}

export const API_KEY_COLUMNS =
  "key_id, hash, role, identity, name, agent_ids, action_types, created_at, revoked_at";

export function apiKeyValues(key: ApiKeyRecord): unknown[] {
  return [
    key.keyId,
    key.hash,
    key.role,
    key.identity,
    key.name,
    key.agentIds,
    key.actionTypes,
    canonicalTimestamp(key.createdAt),
    canonicalTimestampOrNull(key.revokedAt),
  ];
}

export function rowToApiKey(row: Row): ApiKeyRecord {
  return {
    keyId: text(row, "key_id"),
    hash: text(row, "hash"),
    role: text(row, "role") as ApiKeyRecord["role"],
    identity: textOrNull(row, "identity"),
    name: textOrNull(row, "name"),
    agentIds: (row.agent_ids as string[] | null) ?? null,
    actionTypes: (row.action_types as string[] | null) ?? null,
    createdAt: fromTimestamp(row.created_at),
    revokedAt: fromTimestampOrNull(row.revoked_at),
  };
}

export const DELIVERY_COLUMNS =
  "delivery_id, pause_id, url, payload, status, attempts, next_attempt_at, lease_until, last_status, last_error, created_at, endpoint_id";

export function deliveryValues(delivery: DeliveryRecord): unknown[] {
  return [
    delivery.deliveryId,
    delivery.pauseId,
    delivery.url,
    delivery.payload,
    delivery.status,
    delivery.attempts,
    canonicalTimestampOrNull(delivery.nextAttemptAt),
    canonicalTimestampOrNull(delivery.leaseUntil),
    delivery.lastStatus,
    delivery.lastError,
    canonicalTimestamp(delivery.createdAt),
    delivery.endpointId,
  ];
}

export function rowToDelivery(row: Row): DeliveryRecord {
  return {
    deliveryId: text(row, "delivery_id"),
    pauseId: text(row, "pause_id"),
    url: text(row, "url"),
    payload: text(row, "payload"),
    status: text(row, "status") as DeliveryRecord["status"],
    attempts: Number(row.attempts),
    nextAttemptAt: fromTimestampOrNull(row.next_attempt_at),
    leaseUntil: fromTimestampOrNull(row.lease_until),
    lastStatus: numberOrNull(row, "last_status"),
    lastError: textOrNull(row, "last_error"),
    createdAt: fromTimestamp(row.created_at),
    endpointId: textOrNull(row, "endpoint_id"),
  };
}

export const DELIVERY_ATTEMPT_COLUMNS = "delivery_id, attempt, at, status, error, duration_ms";

export function rowToDeliveryAttempt(row: Row): DeliveryAttemptRecord {
  return {
    deliveryId: text(row, "delivery_id"),
    attempt: Number(row.attempt),
    at: fromTimestamp(row.at),
    status: numberOrNull(row, "status"),
    error: textOrNull(row, "error"),
    durationMs: Number(row.duration_ms),
  };
}

export const AUDIT_COLUMNS = "seq, event_id, type, pause_id, agent_id, actor, at, data, prev_hash, hash";

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

export const IDENTITY_COLUMNS =
  "identity, email, slack_user_id, teams_user_id, display_name, groups, created_at, updated_at";

export function rowToIdentity(row: Row): IdentityRecord {
  return {
    identity: text(row, "identity"),
    email: textOrNull(row, "email"),
    slackUserId: textOrNull(row, "slack_user_id"),
    teamsUserId: textOrNull(row, "teams_user_id"),
    displayName: textOrNull(row, "display_name"),
    groups: (row.groups as string[] | null) ?? [],
    createdAt: fromTimestamp(row.created_at),
    updatedAt: fromTimestamp(row.updated_at),
  };
}

/** `$<from>, $<from + 1>, …` for `count` parameters. */
export function placeholders(count: number, from = 1): string {
  return Array.from({ length: count }, (_, index) => `$${from + index}`).join(", ");
}
