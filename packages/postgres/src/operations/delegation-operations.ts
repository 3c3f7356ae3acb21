import type { AuditInput, DelegationRecord, DelegationUse } from "@countersign/core/server";
import type { Database, Row, Transaction } from "../database.ts";
import { toJsonOrNull } from "../row-mapping.ts";
import { canonicalTimestamp, fromTimestamp, fromTimestampOrNull } from "../timestamps.ts";
import { appendAuditEvents } from "./audit-operations.ts";

const DELEGATION_COLUMNS =
  "delegation_id, from_identity, to_identity, starts_at, ends_at, action_types, reason, created_by, created_at, revoked_at, revoked_by";

// Any constant works as long as every instance uses the same one: "countersign.delegations" hashed.
const DELEGATION_LOCK = 5_118_420_937_265_101;

function textOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

function rowToDelegation(row: Row): DelegationRecord {
  return {
    delegationId: String(row.delegation_id),
    from: String(row.from_identity),
    to: String(row.to_identity),
    startsAt: fromTimestamp(row.starts_at),
    endsAt: fromTimestamp(row.ends_at),
    actionTypes: (row.action_types ?? null) as string[] | null,
    reason: textOrNull(row.reason),
    createdBy: String(row.created_by),
    createdAt: fromTimestamp(row.created_at),
    revokedAt: fromTimestampOrNull(row.revoked_at),
    revokedBy: textOrNull(row.revoked_by),
  };
}

/**
 * Creations take turns on a transaction-scoped advisory lock, so the reverse
 * check sees every delegation committed before it: two people delegating to
 * each other at once cannot both succeed. Creations are rare; the lock costs nothing else.
 */
export async function insertDelegation(
  database: Database,
  delegation: DelegationRecord,
  audit: AuditInput[],
): Promise<{ created: true } | { created: false; reverse: DelegationRecord }> {
  return database.transaction(async (transaction) => {
    await transaction.query("SELECT pg_advisory_xact_lock($1)", [DELEGATION_LOCK]);
    const [reverse] = await transaction.query(
      `SELECT ${DELEGATION_COLUMNS} FROM delegations
        WHERE lower(from_identity) = lower($1) AND lower(to_identity) = lower($2)
          AND revoked_at IS NULL AND starts_at < $3::timestamptz AND ends_at > $4::timestamptz
        ORDER BY created_at LIMIT 1`,
      [
        delegation.to,
        delegation.from,
        canonicalTimestamp(delegation.endsAt),
        canonicalTimestamp(delegation.startsAt),
      ],
    );
    if (reverse !== undefined) return { created: false as const, reverse: rowToDelegation(reverse) };
    await transaction.query(
      `INSERT INTO delegations (${DELEGATION_COLUMNS})
        VALUES ($1, $2, $3, $4::timestamptz, $5::timestamptz, $6::json, $7, $8, $9::timestamptz, $10::timestamptz, $11)`,
      [
        delegation.delegationId,
        delegation.from,
        delegation.to,
        canonicalTimestamp(delegation.startsAt),
        canonicalTimestamp(delegation.endsAt),
        toJsonOrNull(delegation.actionTypes),
        delegation.reason,
        delegation.createdBy,
        canonicalTimestamp(delegation.createdAt),
        delegation.revokedAt === null ? null : canonicalTimestamp(delegation.revokedAt),
        delegation.revokedBy,
      ],
    );
    await appendAuditEvents(transaction, audit);
    return { created: true as const };
  });
}

export async function selectDelegation(
  queryable: Pick<Database, "query"> | Transaction,
  delegationId: string,
): Promise<DelegationRecord | null> {
  const [row] = await queryable.query(
    `SELECT ${DELEGATION_COLUMNS} FROM delegations WHERE delegation_id = $1`,
    [delegationId],
  );
  return row === undefined ? null : rowToDelegation(row);
}

export async function listDelegations(
  database: Database,
  query: { activeAt?: string; involving?: string; unrevokedOnly?: boolean },
): Promise<DelegationRecord[]> {
  const where: string[] = [];
  const values: string[] = [];
  if (query.unrevokedOnly) where.push("revoked_at IS NULL");
  if (query.activeAt !== undefined) {
    values.push(canonicalTimestamp(query.activeAt));
    const at = `$${values.length}::timestamptz`;
    where.push(`revoked_at IS NULL AND starts_at <= ${at} AND ends_at > ${at}`);
  }
  if (query.involving !== undefined) {
    values.push(query.involving);
    const who = `lower($${values.length})`;
    where.push(`(lower(from_identity) = ${who} OR lower(to_identity) = ${who})`);
  }
  const clause = where.length === 0 ? "" : `WHERE ${where.join(" AND ")}`;
  const rows = await database.query(
    `SELECT ${DELEGATION_COLUMNS} FROM delegations ${clause} ORDER BY created_at DESC, delegation_id DESC`,
    values,
  );
  return rows.map(rowToDelegation);
}

export async function revokeDelegation(
  database: Database,
  delegationId: string,
  at: string,
  by: string,
  audit: AuditInput[],
): Promise<{ revoked: boolean; delegation: DelegationRecord } | null> {
  return database.transaction(async (transaction) => {
    // Waits for decisions under way through this delegation before this transaction writes anything,
    // so it is given its transaction id (which orders the audit chain) only after they commit.
    await transaction.query("SELECT pg_advisory_xact_lock(hashtext($1))", [delegationLockKey(delegationId)]);
    const [changed] = await transaction.query(
      `UPDATE delegations SET revoked_at = $2::timestamptz, revoked_by = $3
        WHERE delegation_id = $1 AND revoked_at IS NULL RETURNING ${DELEGATION_COLUMNS}`,
      [delegationId, canonicalTimestamp(at), by],
    );
    if (changed !== undefined) {
      await appendAuditEvents(transaction, audit);
      return { revoked: true, delegation: rowToDelegation(changed) };
    }
    const delegation = await selectDelegation(transaction, delegationId);
    return delegation === null ? null : { revoked: false, delegation };
  });
}

/**
 * A revocation and the decisions made through a delegation also take this
 * advisory lock (exclusive and shared). Unlike a row lock it needs no
 * transaction id. The audit sealer orders events by transaction id, so a
 * revocation that waited on a decision must get its id after that decision
 * commits, or the chain would show the revocation first.
 */
function delegationLockKey(delegationId: string): string {
  return `countersign_delegation:${delegationId}`;
}

/**
 * Whether the delegation may carry a decision at `use.at`, inside the deciding
 * transaction. `FOR SHARE` holds the row until that transaction ends: a
 * revocation waits for a decision already under way, and a decision that
 * comes after a committed revocation finds the row revoked.
 */
export async function delegationActive(transaction: Transaction, use: DelegationUse): Promise<boolean> {
  const at = canonicalTimestamp(use.at);
  await transaction.query("SELECT pg_advisory_xact_lock_shared(hashtext($1))", [
    delegationLockKey(use.delegationId),
  ]);
  const rows = await transaction.query(
    `SELECT 1 AS active FROM delegations
      WHERE delegation_id = $1 AND revoked_at IS NULL AND starts_at <= $2::timestamptz AND ends_at > $2::timestamptz
      FOR SHARE`,
    [use.delegationId, at],
  );
  return rows.length === 1;
}
