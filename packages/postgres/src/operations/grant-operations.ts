import type {
  AuditInput,
  DecisionUpdate,
  GrantRecord,
  GrantUse,
  PauseRecord,
  StateChangeEffects,
} from "@countersign/core/server";
import type { Database, Row, Transaction } from "../database.ts";
import { toJson } from "../row-mapping.ts";
import { canonicalTimestamp, fromTimestamp, fromTimestampOrNull } from "../timestamps.ts";
import { appendAuditEvents } from "./audit-operations.ts";
import { decideInTransaction, selectPause } from "./pause-operations.ts";

const GRANT_COLUMNS =
  "grant_id, granted_by, agent_ids, action_type, conditions, max_count, total_field, max_total, used_count, used_total, reason, created_at, expires_at, revoked_at, revoked_by";

function rowToGrant(row: Row): GrantRecord {
  return {
    grantId: String(row.grant_id),
    grantedBy: String(row.granted_by),
    agentIds: row.agent_ids as string[],
    actionType: String(row.action_type),
    conditions: row.conditions as string[],
    maxCount: row.max_count === null ? null : Number(row.max_count),
    maxTotal:
      row.total_field === null ? null : { field: String(row.total_field), max: Number(row.max_total) },
    usedCount: Number(row.used_count),
    usedTotal: Number(row.used_total),
    reason: row.reason === null ? null : String(row.reason),
    createdAt: fromTimestamp(row.created_at),
    expiresAt: fromTimestamp(row.expires_at),
    revokedAt: fromTimestampOrNull(row.revoked_at),
    revokedBy: row.revoked_by === null ? null : String(row.revoked_by),
  };
}

export async function insertGrant(
  database: Database,
  grant: GrantRecord,
  audit: AuditInput[],
): Promise<void> {
  await database.transaction(async (transaction) => {
    await transaction.query(
      `INSERT INTO grants (${GRANT_COLUMNS})
        VALUES ($1, $2, $3::json, $4, $5::json, $6, $7, $8, $9, $10, $11, $12::timestamptz, $13::timestamptz, $14::timestamptz, $15)`,
      [
        grant.grantId,
        grant.grantedBy,
        toJson(grant.agentIds),
        grant.actionType,
        toJson(grant.conditions),
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
      ],
    );
    await appendAuditEvents(transaction, audit);
  });
}

export async function selectGrant(
  queryable: Pick<Database, "query"> | Transaction,
  grantId: string,
): Promise<GrantRecord | null> {
  const [row] = await queryable.query(`SELECT ${GRANT_COLUMNS} FROM grants WHERE grant_id = $1`, [grantId]);
  return row === undefined ? null : rowToGrant(row);
}

export async function listGrants(
  database: Database,
  query: { activeAt?: string; unrevokedOnly?: boolean },
): Promise<GrantRecord[]> {
  const everyGrant = query.unrevokedOnly ? "WHERE revoked_at IS NULL" : "";
  const rows =
    query.activeAt === undefined
      ? await database.query(
          `SELECT ${GRANT_COLUMNS} FROM grants ${everyGrant} ORDER BY created_at DESC, grant_id DESC`,
        )
      : await database.query(
          `SELECT ${GRANT_COLUMNS} FROM grants WHERE revoked_at IS NULL AND expires_at > $1::timestamptz
            ORDER BY created_at DESC, grant_id DESC`,
          [canonicalTimestamp(query.activeAt)],
        );
  return rows.map(rowToGrant);
}

export async function revokeGrant(
  database: Database,
  grantId: string,
  at: string,
  by: string,
  audit: AuditInput[],
): Promise<{ revoked: boolean; grant: GrantRecord } | null> {
  return database.transaction(async (transaction) => {
    // Waits for uses under way before this transaction writes anything: see grantLockKey.
    await transaction.query("SELECT pg_advisory_xact_lock(hashtext($1))", [grantLockKey(grantId)]);
    const [changed] = await transaction.query(
      `UPDATE grants SET revoked_at = $2::timestamptz, revoked_by = $3
        WHERE grant_id = $1 AND revoked_at IS NULL RETURNING ${GRANT_COLUMNS}`,
      [grantId, canonicalTimestamp(at), by],
    );
    if (changed !== undefined) {
      await appendAuditEvents(transaction, audit);
      return { revoked: true, grant: rowToGrant(changed) };
    }
    const grant = await selectGrant(transaction, grantId);
    return grant === null ? null : { revoked: false, grant };
  });
}

/**
 * A revocation takes this advisory lock exclusively and each use shares it, before either writes.
 * Unlike the grant's row lock it needs no transaction id. The audit sealer orders events by
 * transaction id, and Postgres gives an UPDATE its id before it waits for the row: without the
 * lock, a revocation could take its id, then wait behind a use that commits first, and the chain
 * would show the revocation before the use it did not stop.
 */
function grantLockKey(grantId: string): string {
  return `countersign_grant:${grantId}`;
}

/** Thrown inside the transaction to roll back the grant's use when the pause is no longer pending. */
class NotPending extends Error {}

type DecideWithGrantResult = {
  outcome: "decided" | "grant_unavailable" | "not_pending";
  pause: PauseRecord;
  grant: GrantRecord;
} | null;

/**
 * The grant's row is updated first with its bounds in the WHERE clause:
 * concurrent uses queue on the row lock and Postgres re-checks the bounds
 * against the row as the previous use left it, so none can overrun it.
 */
export async function decideWithGrant(
  database: Database,
  channel: string,
  pauseId: string,
  use: GrantUse,
  update: DecisionUpdate,
  effects: StateChangeEffects,
): Promise<DecideWithGrantResult> {
  try {
    return await database.transaction(async (transaction): Promise<DecideWithGrantResult> => {
      await transaction.query("SELECT pg_advisory_xact_lock_shared(hashtext($1))", [
        grantLockKey(use.grantId),
      ]);
      const [consumed] = await transaction.query(
        `UPDATE grants SET used_count = used_count + 1, used_total = used_total + $2
          WHERE grant_id = $1 AND revoked_at IS NULL AND expires_at > $3::timestamptz
            AND (max_count IS NULL OR used_count + 1 <= max_count)
            AND (max_total IS NULL OR used_total + $2 <= max_total)
          RETURNING ${GRANT_COLUMNS}`,
        [use.grantId, use.amount, canonicalTimestamp(use.at)],
      );
      if (consumed === undefined) {
        const [pause, grant] = [
          await selectPause(transaction, pauseId),
          await selectGrant(transaction, use.grantId),
        ];
        return pause === null || grant === null ? null : { outcome: "grant_unavailable", pause, grant };
      }
      const decided = await decideInTransaction(transaction, channel, pauseId, update, effects);
      if (decided === null || !decided.ok) throw new NotPending();
      return { outcome: "decided", pause: decided.pause, grant: rowToGrant(consumed) };
    });
  } catch (error) {
    if (!(error instanceof NotPending)) throw error;
    const [pause, grant] = [await selectPause(database, pauseId), await selectGrant(database, use.grantId)];
    if (pause === null || grant === null) return null;
    return { outcome: "not_pending", pause, grant };
  }
}
