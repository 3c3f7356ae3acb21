import type { SQLOutputValue } from "node:sqlite";
import type { AuditInput, DelegationRecord, DelegationUse } from "../records.ts";
import { appendAuditEvents } from "./audit-operations.ts";
import type { SqliteConnection } from "./sqlite-connection.ts";
import { canonicalTimestamp } from "./timestamps.ts";

const DELEGATION_COLUMNS =
  "delegation_id, from_identity, to_identity, starts_at, ends_at, action_types, reason, created_by, created_at, revoked_at, revoked_by";

type Row = Record<string, SQLOutputValue>;

function textOrNull(value: SQLOutputValue | undefined): string | null {
  return value === null || value === undefined ? null : String(value);
}

function rowToDelegation(row: Row): DelegationRecord {
  return {
    delegationId: String(row.delegation_id),
    from: String(row.from_identity),
    to: String(row.to_identity),
    startsAt: String(row.starts_at),
    endsAt: String(row.ends_at),
    actionTypes: row.action_types === null ? null : (JSON.parse(String(row.action_types)) as string[]),
    reason: textOrNull(row.reason),
    createdBy: String(row.created_by),
    createdAt: String(row.created_at),
    revokedAt: textOrNull(row.revoked_at),
    revokedBy: textOrNull(row.revoked_by),
  };
}

/** The reverse check and the insert share one write transaction: SQLite runs one writer at a time. */
export function insertDelegation(
  connection: SqliteConnection,
  delegation: DelegationRecord,
  audit: AuditInput[],
): { created: true } | { created: false; reverse: DelegationRecord } {
  return connection.transaction(() => {
    const reverse = connection
      .statement(
        `SELECT ${DELEGATION_COLUMNS} FROM delegations
          WHERE lower(from_identity) = lower(?) AND lower(to_identity) = lower(?)
            AND revoked_at IS NULL AND starts_at < ? AND ends_at > ?
          ORDER BY created_at LIMIT 1`,
      )
      .get(
        delegation.to,
        delegation.from,
        canonicalTimestamp(delegation.endsAt),
        canonicalTimestamp(delegation.startsAt),
      );
    if (reverse !== undefined) return { created: false as const, reverse: rowToDelegation(reverse) };
    connection
      .statement(`INSERT INTO delegations (${DELEGATION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(
        delegation.delegationId,
        delegation.from,
        delegation.to,
        canonicalTimestamp(delegation.startsAt),
        canonicalTimestamp(delegation.endsAt),
        delegation.actionTypes === null ? null : JSON.stringify(delegation.actionTypes),
        delegation.reason,
        delegation.createdBy,
        canonicalTimestamp(delegation.createdAt),
        delegation.revokedAt === null ? null : canonicalTimestamp(delegation.revokedAt),
        delegation.revokedBy,
      );
    appendAuditEvents(connection, audit);
    return { created: true as const };
  });
}

export function selectDelegation(
  connection: SqliteConnection,
  delegationId: string,
): DelegationRecord | null {
  const row = connection
    .statement(`SELECT ${DELEGATION_COLUMNS} FROM delegations WHERE delegation_id = ?`)
    .get(delegationId);
  return row === undefined ? null : rowToDelegation(row);
}

export function listDelegations(
  connection: SqliteConnection,
  query: { activeAt?: string; involving?: string; unrevokedOnly?: boolean },
): DelegationRecord[] {
  const where: string[] = [];
  const values: string[] = [];
  if (query.unrevokedOnly) where.push("revoked_at IS NULL");
  if (query.activeAt !== undefined) {
    const at = canonicalTimestamp(query.activeAt);
    where.push("revoked_at IS NULL AND starts_at <= ? AND ends_at > ?");
    values.push(at, at);
  }
  if (query.involving !== undefined) {
    where.push("(lower(from_identity) = lower(?) OR lower(to_identity) = lower(?))");
    values.push(query.involving, query.involving);
  }
  const clause = where.length === 0 ? "" : `WHERE ${where.join(" AND ")}`;
  return connection
    .statement(
      `SELECT ${DELEGATION_COLUMNS} FROM delegations ${clause} ORDER BY created_at DESC, delegation_id DESC`,
    )
    .all(...values)
    .map(rowToDelegation);
}

export function revokeDelegation(
  connection: SqliteConnection,
  delegationId: string,
  at: string,
  by: string,
  audit: AuditInput[],
): { revoked: boolean; delegation: DelegationRecord } | null {
  return connection.transaction(() => {
    const { changes } = connection
      .statement(
        "UPDATE delegations SET revoked_at = ?, revoked_by = ? WHERE delegation_id = ? AND revoked_at IS NULL",
      )
      .run(canonicalTimestamp(at), by, delegationId);
    const delegation = selectDelegation(connection, delegationId);
    if (delegation === null) return null;
    const revoked = Number(changes) === 1;
    if (revoked) appendAuditEvents(connection, audit);
    return { revoked, delegation };
  });
}

/** Whether the delegation may carry a decision at `use.at`; call inside the deciding transaction. */
export function delegationActive(connection: SqliteConnection, use: DelegationUse): boolean {
  const at = canonicalTimestamp(use.at);
  return (
    connection
      .statement(
        `SELECT 1 AS active FROM delegations
          WHERE delegation_id = ? AND revoked_at IS NULL AND starts_at <= ? AND ends_at > ?`,
      )
      .get(use.delegationId, at, at) !== undefined
  );
}
