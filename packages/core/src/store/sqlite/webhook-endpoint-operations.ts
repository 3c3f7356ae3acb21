import type { SQLOutputValue } from "node:sqlite";
import type { AuditInput, WebhookEndpointChanges, WebhookEndpointRecord } from "../records.ts";
import { appendAuditEvents } from "./audit-operations.ts";
import type { SqliteConnection } from "./sqlite-connection.ts";
import { canonicalTimestamp, canonicalTimestampOrNull } from "./timestamps.ts";

const COLUMNS =
  "endpoint_id, url, events, filter, description, status, secret, previous_secret, previous_secret_expires_at, created_by, created_at, updated_at";

type Row = Record<string, SQLOutputValue>;

const textOrNull = (value: SQLOutputValue | undefined) => (value === null ? null : String(value));

function rowToEndpoint(row: Row): WebhookEndpointRecord {
  return {
    endpointId: String(row.endpoint_id),
    url: String(row.url),
    events: JSON.parse(String(row.events)) as string[],
    filter: row.filter === null ? null : (JSON.parse(String(row.filter)) as WebhookEndpointRecord["filter"]),
    description: textOrNull(row.description),
    status: String(row.status) as WebhookEndpointRecord["status"],
    secret: String(row.secret),
    previousSecret: textOrNull(row.previous_secret),
    previousSecretExpiresAt: textOrNull(row.previous_secret_expires_at),
    createdBy: String(row.created_by),
    createdAt: String(row.created_at),
    updatedAt: String(row.updated_at),
  };
}

export function insertWebhookEndpoint(
  connection: SqliteConnection,
  endpoint: WebhookEndpointRecord,
  audit: AuditInput[],
): void {
  connection.transaction(() => {
    connection
      .statement(`INSERT INTO webhook_endpoints (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(
        endpoint.endpointId,
        endpoint.url,
        JSON.stringify(endpoint.events),
        endpoint.filter === null ? null : JSON.stringify(endpoint.filter),
        endpoint.description,
        endpoint.status,
        endpoint.secret,
        endpoint.previousSecret,
        canonicalTimestampOrNull(endpoint.previousSecretExpiresAt),
        endpoint.createdBy,
        canonicalTimestamp(endpoint.createdAt),
        canonicalTimestamp(endpoint.updatedAt),
      );
    appendAuditEvents(connection, audit);
  });
}

export function selectWebhookEndpoint(
  connection: SqliteConnection,
  endpointId: string,
): WebhookEndpointRecord | null {
  const row = connection
    .statement(`SELECT ${COLUMNS} FROM webhook_endpoints WHERE endpoint_id = ?`)
    .get(endpointId);
  return row === undefined ? null : rowToEndpoint(row);
}

export function listWebhookEndpoints(
  connection: SqliteConnection,
  query: { enabledOnly?: boolean } = {},
): WebhookEndpointRecord[] {
  const where = query.enabledOnly ? "WHERE status = 'enabled'" : "";
  return connection
    .statement(`SELECT ${COLUMNS} FROM webhook_endpoints ${where} ORDER BY created_at, endpoint_id`)
    .all()
    .map(rowToEndpoint);
}

export function updateWebhookEndpoint(
  connection: SqliteConnection,
  endpointId: string,
  changes: WebhookEndpointChanges,
  audit: AuditInput[],
): WebhookEndpointRecord | null {
  const current = selectWebhookEndpoint(connection, endpointId);
  if (current === null) return null;
  return connection.transaction(() => {
    const next: WebhookEndpointRecord = { ...current, ...changes };
    const { changes: changed } = connection
      .statement(
        `UPDATE webhook_endpoints SET url = ?, events = ?, filter = ?, description = ?, status = ?, secret = ?,
          previous_secret = ?, previous_secret_expires_at = ?, updated_at = ? WHERE endpoint_id = ?`,
      )
      .run(
        next.url,
        JSON.stringify(next.events),
        next.filter === null ? null : JSON.stringify(next.filter),
        next.description,
        next.status,
        next.secret,
        next.previousSecret,
        canonicalTimestampOrNull(next.previousSecretExpiresAt),
        canonicalTimestamp(next.updatedAt),
        endpointId,
      );
    if (Number(changed) === 0) return null;
    appendAuditEvents(connection, audit);
    return selectWebhookEndpoint(connection, endpointId);
  });
}

export function deleteWebhookEndpoint(
  connection: SqliteConnection,
  endpointId: string,
  audit: AuditInput[],
): boolean {
  return connection.transaction(() => {
    const { changes } = connection
      .statement("DELETE FROM webhook_endpoints WHERE endpoint_id = ?")
      .run(endpointId);
    if (Number(changes) === 0) return false;
    appendAuditEvents(connection, audit);
    return true;
  });
}
