import type { AuditInput, WebhookEndpointChanges, WebhookEndpointRecord } from "@countersign/core/server";
import type { Database, Row } from "../database.ts";
import { toJson, toJsonOrNull } from "../row-mapping.ts";
import {
  canonicalTimestamp,
  canonicalTimestampOrNull,
  fromTimestamp,
  fromTimestampOrNull,
} from "../timestamps.ts";
import { appendAuditEvents } from "./audit-operations.ts";

const COLUMNS =
  "endpoint_id, url, events, filter, description, status, secret, previous_secret, previous_secret_expires_at, created_by, created_at, updated_at";

const textOrNull = (value: unknown) => (value === null || value === undefined ? null : String(value));

function rowToEndpoint(row: Row): WebhookEndpointRecord {
  return {
    endpointId: String(row.endpoint_id),
    url: String(row.url),
    events: row.events as string[],
    filter: (row.filter ?? null) as WebhookEndpointRecord["filter"],
    description: textOrNull(row.description),
    status: String(row.status) as WebhookEndpointRecord["status"],
    secret: String(row.secret),
    previousSecret: textOrNull(row.previous_secret),
    previousSecretExpiresAt: fromTimestampOrNull(row.previous_secret_expires_at),
    createdBy: String(row.created_by),
    createdAt: fromTimestamp(row.created_at),
    updatedAt: fromTimestamp(row.updated_at),
  };
}

/** The twelve column values, in `COLUMNS` order. */
function endpointValues(endpoint: WebhookEndpointRecord): unknown[] {
  return [
    endpoint.endpointId,
    endpoint.url,
    toJson(endpoint.events),
    toJsonOrNull(endpoint.filter),
    endpoint.description,
    endpoint.status,
    endpoint.secret,
    endpoint.previousSecret,
    canonicalTimestampOrNull(endpoint.previousSecretExpiresAt),
    endpoint.createdBy,
    canonicalTimestamp(endpoint.createdAt),
    canonicalTimestamp(endpoint.updatedAt),
  ];
}

export async function insertWebhookEndpoint(
  database: Database,
  endpoint: WebhookEndpointRecord,
  audit: AuditInput[],
): Promise<void> {
  await database.transaction(async (transaction) => {
    await transaction.query(
      `INSERT INTO webhook_endpoints (${COLUMNS})
        VALUES ($1, $2, $3::json, $4::json, $5, $6, $7, $8, $9::timestamptz, $10, $11::timestamptz, $12::timestamptz)`,
      endpointValues(endpoint),
    );
    await appendAuditEvents(transaction, audit);
  });
}

export async function selectWebhookEndpoint(
  database: Pick<Database, "query">,
  endpointId: string,
): Promise<WebhookEndpointRecord | null> {
  const [row] = await database.query(`SELECT ${COLUMNS} FROM webhook_endpoints WHERE endpoint_id = $1`, [
    endpointId,
  ]);
  return row === undefined ? null : rowToEndpoint(row);
}

export async function listWebhookEndpoints(
  database: Database,
  query: { enabledOnly?: boolean } = {},
): Promise<WebhookEndpointRecord[]> {
  const where = query.enabledOnly ? "WHERE status = 'enabled'" : "";
  const rows = await database.query(
    `SELECT ${COLUMNS} FROM webhook_endpoints ${where} ORDER BY created_at, endpoint_id`,
  );
  return rows.map(rowToEndpoint);
}

export async function updateWebhookEndpoint(
  database: Database,
  endpointId: string,
  changes: WebhookEndpointChanges,
  audit: AuditInput[],
): Promise<WebhookEndpointRecord | null> {
  return database.transaction(async (transaction) => {
    // The row lock orders concurrent changes: each applies to the row as the one before left it.
    const [row] = await transaction.query(
      `SELECT ${COLUMNS} FROM webhook_endpoints WHERE endpoint_id = $1 FOR UPDATE`,
      [endpointId],
    );
    if (row === undefined) return null;
    const next = { ...rowToEndpoint(row), ...changes };
    const [updated] = await transaction.query(
      `UPDATE webhook_endpoints SET url = $2, events = $3::json, filter = $4::json, description = $5, status = $6,
        secret = $7, previous_secret = $8, previous_secret_expires_at = $9::timestamptz, updated_at = $10::timestamptz
        WHERE endpoint_id = $1 RETURNING ${COLUMNS}`,
      [...endpointValues(next).slice(0, 9), canonicalTimestamp(next.updatedAt)],
    );
    await appendAuditEvents(transaction, audit);
    return updated === undefined ? null : rowToEndpoint(updated);
  });
}

export async function deleteWebhookEndpoint(
  database: Database,
  endpointId: string,
  audit: AuditInput[],
): Promise<boolean> {
  return database.transaction(async (transaction) => {
    const deleted = await transaction.query(
      "DELETE FROM webhook_endpoints WHERE endpoint_id = $1 RETURNING endpoint_id",
      [endpointId],
    );
    if (deleted.length === 0) return false;
    await appendAuditEvents(transaction, audit);
    return true;
  });
}
