import type { SQLOutputValue } from "node:sqlite";
import type {
  AuditInput,
  DecisionUpdate,
  GrantRecord,
  GrantUse,
  PauseRecord,
  StateChangeEffects,
} from "../records.ts";
import { appendAuditEvents } from "./audit-operations.ts";
import { recordEffects } from "./delivery-operations.ts";
import { selectPause } from "./pause-operations.ts";
import type { SqliteConnection } from "./sqlite-connection.ts";
import { canonicalTimestamp } from "./timestamps.ts";

const GRANT_COLUMNS =
  "grant_id, granted_by, agent_ids, action_type, conditions, max_count, total_field, max_total, used_count, used_total, reason, created_at, expires_at, revoked_at, revoked_by";

type Row = Record<string, SQLOutputValue>;

function rowToGrant(row: Row): GrantRecord {
  return {
    grantId: String(row.grant_id),
    grantedBy: String(row.granted_by),
    agentIds: JSON.parse(String(row.agent_ids)) as string[],
    actionType: String(row.action_type),
    conditions: JSON.parse(String(row.conditions)) as string[],
    maxCount: row.max_count === null ? null : Number(row.max_count),
    maxTotal:
      row.total_field === null ? null : { field: String(row.total_field), max: Number(row.max_total) },
    usedCount: Number(row.used_count),
    usedTotal: Number(row.used_total),
    reason: row.reason === null ? null : String(row.reason),
    createdAt: String(row.created_at),
    expiresAt: String(row.expires_at),
    revokedAt: row.revoked_at === null ? null : String(row.revoked_at),
    revokedBy: row.revoked_by === null ? null : String(row.revoked_by),
  };
}

export function insertGrant(connection: SqliteConnection, grant: GrantRecord, audit: AuditInput[]): void {
  connection.transaction(() => {
    connection
      .statement(`INSERT INTO grants (${GRANT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(
        grant.grantId,
        grant.grantedBy,
        JSON.stringify(grant.agentIds),
        grant.actionType,
        JSON.stringify(grant.conditions),
        grant.maxCount,
        grant.maxTotal?.field ?? null,
        grant.maxTotal?.max ?? null,
        grant.usedCount,
        grant.usedTotal,
        grant.reason,
        canonicalTimestamp(grant.createdAt),
        canonicalTimestamp(grant.expiresAt),
        grant.revokedAt === null ? null : canonicalTimestamp(grant.revokedAt),
        grant.revokedBy,
      );
    appendAuditEvents(connection, audit);
  });
}

export function selectGrant(connection: SqliteConnection, grantId: string): GrantRecord | null {
  const row = connection.statement(`SELECT ${GRANT_COLUMNS} FROM grants WHERE grant_id = ?`).get(grantId);
  return row === undefined ? null : rowToGrant(row);
}

export function listGrants(
  connection: SqliteConnection,
  query: { activeAt?: string; unrevokedOnly?: boolean },
): GrantRecord[] {
  const where: string[] = [];
  const values: string[] = [];
  if (query.unrevokedOnly || query.activeAt !== undefined) where.push("revoked_at IS NULL");
  if (query.activeAt !== undefined) {
    where.push("expires_at > ?");
    values.push(canonicalTimestamp(query.activeAt));
  }
  const clause = where.length === 0 ? "" : `WHERE ${where.join(" AND ")}`;
  return connection
    .statement(`SELECT ${GRANT_COLUMNS} FROM grants ${clause} ORDER BY created_at DESC, grant_id DESC`)
    .all(...values)
    .map(rowToGrant);
}

export function revokeGrant(
  connection: SqliteConnection,
  grantId: string,
  at: string,
  by: string,
  audit: AuditInput[],
): { revoked: boolean; grant: GrantRecord } | null {
  return connection.transaction(() => {
    const { changes } = connection
      .statement("UPDATE grants SET revoked_at = ?, revoked_by = ? WHERE grant_id = ? AND revoked_at IS NULL")
      .run(canonicalTimestamp(at), by, grantId);
    const grant = selectGrant(connection, grantId);
    if (grant === null) return null;
    const revoked = Number(changes) === 1;
    if (revoked) appendAuditEvents(connection, audit);
    return { revoked, grant };
  });
}

/** Thrown inside the transaction to roll back the grant's use when the pause is no longer pending. */
class NotPending extends Error {}

export function decideWithGrant(
  connection: SqliteConnection,
  pauseId: string,
  use: GrantUse,
  update: DecisionUpdate,
  effects: StateChangeEffects,
): {
  outcome: "decided" | "grant_unavailable" | "not_pending";
  pause: PauseRecord;
  grant: GrantRecord;
} | null {
  if (selectPause(connection, pauseId) === null || selectGrant(connection, use.grantId) === null) return null;
  try {
    return connection.transaction(() => {
      // The guard is in the UPDATE: a use that would pass a bound changes nothing.
      const { changes } = connection
        .statement(
          `UPDATE grants SET used_count = used_count + 1, used_total = used_total + ?
            WHERE grant_id = ? AND revoked_at IS NULL AND expires_at > ?
              AND (max_count IS NULL OR used_count + 1 <= max_count)
              AND (max_total IS NULL OR used_total + ? <= max_total)`,
        )
        .run(use.amount, use.grantId, canonicalTimestamp(use.at), use.amount);
      if (Number(changes) === 0) {
        return {
          outcome: "grant_unavailable" as const,
          pause: selectPause(connection, pauseId)!,
          grant: selectGrant(connection, use.grantId)!,
        };
      }
      const decided = connection
        .statement(
          "UPDATE pauses SET status = ?, decision = ?, proof = ? WHERE pause_id = ? AND status = 'pending'",
        )
        .run(
          update.status,
          update.decision === null ? null : JSON.stringify(update.decision),
          update.proof === null ? null : JSON.stringify(update.proof),
          pauseId,
        );
      if (Number(decided.changes) === 0) throw new NotPending();
      recordEffects(connection, effects);
      appendAuditEvents(connection, effects.audit);
      return {
        outcome: "decided" as const,
        pause: selectPause(connection, pauseId)!,
        grant: selectGrant(connection, use.grantId)!,
      };
    });
  } catch (error) {
    if (!(error instanceof NotPending)) throw error;
    return {
      outcome: "not_pending",
      pause: selectPause(connection, pauseId)!,
      grant: selectGrant(connection, use.grantId)!,
    };
  }
}
