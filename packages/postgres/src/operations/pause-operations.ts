import { CountersignError, type Execution, newId, type Routing } from "@countersign/core";
import type {
  AuditInput,
  DecisionUpdate,
  DelegationUse,
  DeliveryRecord,
  IdempotencyInput,
  PauseQuery,
  PauseRecord,
  StateChangeEffects,
} from "@countersign/core/server";
import { clampLimit, decodePauseCursor, encodePauseCursor } from "../cursor.ts";
import type { Database, Row, Transaction } from "../database.ts";
import {
  PAUSE_COLUMNS,
  PAUSE_PLACEHOLDERS,
  pauseValues,
  rowToPause,
  toJson,
  toJsonOrNull,
} from "../row-mapping.ts";
import { canonicalTimestamp } from "../timestamps.ts";
import { appendAuditEvents, auditValues, insertAuditSql } from "./audit-operations.ts";
import { delegationActive } from "./delegation-operations.ts";
import { deliveryArrays, insertDeliveriesSql, recordEffects } from "./delivery-operations.ts";

/**
 * Statements that change a pause bump its `version` and `updated_at`; the
 * store announces `"<pause id> <version>"` to other instances after COMMIT
 * (change-feed.ts). Not with `pg_notify` inside the writing transaction:
 * Postgres serialises the commits of notifying transactions on one
 * cluster-wide lock held through the WAL flush, which would put every write
 * of every instance in one queue. The column keeps the channel parameter typed.
 */
export function notifyColumn(channelPlaceholder: string): string {
  return `${channelPlaceholder}::text AS channel`;
}

function reportChange(transaction: Transaction, row: Row): void {
  transaction.changed({ pauseId: String(row.pause_id), version: Number(row.version) });
}

export async function selectPause(
  queryable: Pick<Database, "query"> | Transaction,
  pauseId: string,
): Promise<PauseRecord | null> {
  const [row] = await queryable.query(`SELECT ${PAUSE_COLUMNS} FROM pauses WHERE pause_id = $1`, [pauseId]);
  return row === undefined ? null : rowToPause(row);
}

/**
 * One statement: the idempotency key (when given), the pause and its audit
 * events are written together or not at all, in one round trip. A concurrent
 * insert of the same idempotency key waits for the first and then inserts
 * nothing; the replay then reads the winner (READ COMMITTED).
 */
export async function createPause(
  database: Database,
  channel: string,
  pause: PauseRecord,
  options: { idempotency?: IdempotencyInput; audit: AuditInput[]; deliveries?: DeliveryRecord[] },
): Promise<{ pause: PauseRecord; created: boolean }> {
  const { idempotency, audit } = options;
  const deliveries = options.deliveries ?? [];
  const values: unknown[] = [...pauseValues(pause), channel];
  const channelParameter = `$${values.length}`;
  const auditIds = audit.map(() => newId("auditEvent"));
  const auditFirst = values.length + 1;
  values.push(...auditValues(audit, auditIds));
  let claim = "";
  let onlyIfClaimed = "";
  if (idempotency !== undefined) {
    values.push(idempotency.scope, idempotency.key, idempotency.requestHash, pause.pauseId);
    const n = values.length;
    claim = `claimed AS (
        INSERT INTO idempotency_keys (scope, key, request_hash, pause_id) VALUES ($${n - 3}, $${n - 2}, $${n - 1}, $${n})
        ON CONFLICT (scope, key) DO NOTHING RETURNING pause_id
      ),`;
    onlyIfClaimed = "WHERE EXISTS (SELECT 1 FROM claimed)";
  }
  let outbox = "";
  if (deliveries.length > 0) {
    const first = values.length + 1;
    values.push(...deliveryArrays(deliveries));
    outbox = `, outbox AS (${insertDeliveriesSql(first)} WHERE EXISTS (SELECT 1 FROM changed))`;
  }
  const rows = await database.write(
    `WITH ${claim}
      changed AS (
        INSERT INTO pauses (${PAUSE_COLUMNS}) SELECT ${PAUSE_PLACEHOLDERS} ${onlyIfClaimed}
        RETURNING ${PAUSE_COLUMNS}, version
      ),
      audited AS (${insertAuditSql(auditFirst)} WHERE EXISTS (SELECT 1 FROM changed))${outbox}
      SELECT changed.*, ${notifyColumn(channelParameter)} FROM changed`,
    values,
    (written) => ({
      changes: written.map((row) => ({ pauseId: String(row.pause_id), version: Number(row.version) })),
      appendedAudit: written.length > 0 && audit.length > 0,
    }),
  );
  const [inserted] = rows;
  if (inserted !== undefined) return { pause: rowToPause(inserted), created: true };
  if (idempotency === undefined)
    throw new Error("a pause insert without an idempotency key inserted nothing");
  return replay(database, idempotency);
}

async function replay(
  queryable: Pick<Database, "query">,
  idempotency: IdempotencyInput,
): Promise<{ pause: PauseRecord; created: boolean }> {
  const [seen] = await queryable.query(
    "SELECT request_hash, pause_id FROM idempotency_keys WHERE scope = $1 AND key = $2",
    [idempotency.scope, idempotency.key],
  );
  if (seen === undefined) throw new Error("idempotency key vanished after a conflict");
  const pauseId = String(seen.pause_id);
  if (seen.request_hash !== idempotency.requestHash) {
    throw new CountersignError(
      "idempotency_conflict",
      "This Idempotency-Key was already used with a different request body.",
      { pauseId },
    );
  }
  const first = await selectPause(queryable, pauseId);
  if (first === null) throw new Error(`idempotency key points at missing pause ${pauseId}`);
  return { pause: first, created: false };
}

/**
 * The search: a substring of the id, agent, type, title or description, or of any
 * string or number inside the arguments (`$.**` walks every nesting level).
 * `strpos` rather than LIKE, so `%` and `_` in the search are plain characters.
 */
function textMatch(placeholder: string): string {
  const needle = `lower(${placeholder}::text)`;
  return `(
    strpos(lower(pause_id), ${needle}) > 0 OR strpos(lower(agent_id), ${needle}) > 0
    OR strpos(lower(action_type), ${needle}) > 0
    OR strpos(lower(coalesce(action->>'title', '')), ${needle}) > 0
    OR strpos(lower(coalesce(action->>'description', '')), ${needle}) > 0
    OR EXISTS (
      SELECT 1 FROM jsonb_path_query(coalesce(action::jsonb -> 'data', '{}'::jsonb), 'strict $.**') AS node (value)
      WHERE jsonb_typeof(node.value) IN ('string', 'number') AND strpos(lower(node.value #>> '{}'), ${needle}) > 0
    )
  )`;
}

export async function listPauses(
  database: Database,
  query: PauseQuery,
): Promise<{ items: PauseRecord[]; nextCursor: string | null }> {
  const conditions: string[] = [];
  const values: unknown[] = [];
  const where = (condition: (placeholder: string) => string, value: unknown) => {
    values.push(value);
    conditions.push(condition(`$${values.length}`));
  };
  if (query.status !== undefined) where((p) => `status = ${p}`, query.status);
  else if (query.decided) conditions.push("status <> 'pending'");
  if (query.agentId !== undefined) where((p) => `agent_id = ${p}`, query.agentId);
  if (query.actionType !== undefined) where((p) => `action_type = ${p}`, query.actionType);
  if (query.risk === null) conditions.push("action->>'risk' IS NULL");
  else if (query.risk !== undefined) where((p) => `action->>'risk' = ${p}`, query.risk);
  if (query.text !== undefined) where(textMatch, query.text);
  if (query.ownerKeyId !== undefined) where((p) => `owner_key_id = ${p}`, query.ownerKeyId);
  if (query.claimedWithoutReceipt) conditions.push("claimed_at IS NOT NULL AND execution IS NULL");
  if (query.claimedBefore !== undefined)
    where((p) => `claimed_at <= ${p}::timestamptz`, canonicalTimestamp(query.claimedBefore));
  if (query.cursor !== undefined) {
    const after = decodePauseCursor(query.cursor);
    values.push(after.createdAt, after.pauseId);
    conditions.push(`(created_at, pause_id) < ($${values.length - 1}::timestamptz, $${values.length})`);
  }
  const limit = clampLimit(query.limit, 100);
  // One row more than the page tells whether another page exists.
  values.push(limit + 1);
  const filter = conditions.length === 0 ? "" : `WHERE ${conditions.join(" AND ")}`;
  const rows = await database.query(
    `SELECT ${PAUSE_COLUMNS} FROM pauses ${filter} ORDER BY created_at DESC, pause_id DESC LIMIT $${values.length}`,
    values,
  );
  const items = rows.slice(0, limit).map(rowToPause);
  const last = items.at(-1);
  const nextCursor =
    rows.length > limit && last !== undefined
      ? encodePauseCursor({ createdAt: last.createdAt, pauseId: last.pauseId })
      : null;
  return { items, nextCursor };
}

export async function decidePause(
  database: Database,
  channel: string,
  pauseId: string,
  update: DecisionUpdate,
  effects: StateChangeEffects & { delegation?: DelegationUse },
): Promise<{ ok: boolean; pause: PauseRecord; delegationEnded?: true } | null> {
  return database.transaction(async (transaction) => {
    if (effects.delegation !== undefined && !(await delegationActive(transaction, effects.delegation))) {
      const pause = await selectPause(transaction, pauseId);
      return pause === null ? null : { ok: false, pause, delegationEnded: true as const };
    }
    return decideInTransaction(transaction, channel, pauseId, update, effects);
  });
}

/** `decide` inside a caller's transaction (a grant's use commits with it). */
export async function decideInTransaction(
  transaction: Transaction,
  channel: string,
  pauseId: string,
  update: DecisionUpdate,
  effects: StateChangeEffects,
): Promise<{ ok: boolean; pause: PauseRecord } | null> {
  // The compare-and-set: a concurrent decider waits for this row, then finds it no longer pending.
  const [won] = await transaction.query(
    `WITH changed AS (
      UPDATE pauses SET status = $2, decision = $3::json, proof = $4::json,
        version = version + 1, updated_at = clock_timestamp()
      WHERE pause_id = $1 AND status = 'pending'
      RETURNING ${PAUSE_COLUMNS}, version
    )
    SELECT changed.*, ${notifyColumn("$5")} FROM changed`,
    [pauseId, update.status, toJsonOrNull(update.decision), toJsonOrNull(update.proof), channel],
  );
  if (won === undefined) {
    const pause = await selectPause(transaction, pauseId);
    return pause === null ? null : { ok: false, pause };
  }
  reportChange(transaction, won);
  await recordEffects(transaction, effects);
  await appendAuditEvents(transaction, effects.audit);
  return { ok: true, pause: rowToPause(won) };
}

export async function claimPause(
  database: Database,
  channel: string,
  pauseId: string,
  at: string,
  audit: AuditInput,
  claimedBy: string | null,
): Promise<{ ok: boolean; pause: PauseRecord } | null> {
  const claimedAt = canonicalTimestamp(at);
  return database.transaction(async (transaction) => {
    const [won] = await transaction.query(
      `WITH changed AS (
        UPDATE pauses SET claimed_at = $2::timestamptz, claimed_by = $4,
          version = version + 1, updated_at = clock_timestamp()
        WHERE pause_id = $1 AND status = 'approved' AND claimed_at IS NULL
        RETURNING ${PAUSE_COLUMNS}, version
      )
      SELECT changed.*, ${notifyColumn("$3")} FROM changed`,
      [pauseId, claimedAt, channel, claimedBy],
    );
    if (won === undefined) {
      const pause = await selectPause(transaction, pauseId);
      return pause === null ? null : { ok: false, pause };
    }
    reportChange(transaction, won);
    await appendAuditEvents(transaction, [audit]);
    return { ok: true, pause: rowToPause(won) };
  });
}

/** The once-only receipt: a compare-and-set on a claimed pause that has none yet (the row lock orders racers). */
export async function recordExecution(
  database: Database,
  channel: string,
  pauseId: string,
  execution: Execution,
  effects: StateChangeEffects,
): Promise<{ ok: boolean; pause: PauseRecord } | null> {
  return database.transaction(async (transaction) => {
    const [won] = await transaction.query(
      `WITH changed AS (
        UPDATE pauses SET execution = $2::json, version = version + 1, updated_at = clock_timestamp()
        WHERE pause_id = $1 AND claimed_at IS NOT NULL AND execution IS NULL
        RETURNING ${PAUSE_COLUMNS}, version
      )
      SELECT changed.*, ${notifyColumn("$3")} FROM changed`,
      [pauseId, toJson(execution), channel],
    );
    if (won === undefined) {
      const pause = await selectPause(transaction, pauseId);
      return pause === null ? null : { ok: false, pause };
    }
    reportChange(transaction, won);
    await recordEffects(transaction, effects);
    await appendAuditEvents(transaction, effects.audit);
    return { ok: true, pause: rowToPause(won) };
  });
}

export async function updateRouting(
  database: Database,
  channel: string,
  pauseId: string,
  routing: Partial<Routing>,
  audit: AuditInput[],
): Promise<PauseRecord | null> {
  return database.transaction(async (transaction) => {
    const [current] = await transaction.query(
      `SELECT ${PAUSE_COLUMNS} FROM pauses WHERE pause_id = $1 FOR UPDATE`,
      [pauseId],
    );
    if (current === undefined) return null;
    const pause = rowToPause(current);
    // Routing is governance for a pause still waiting on people; a decided pause keeps its record.
    if (pause.status !== "pending") return pause;
    const merged = { ...(pause.routing ?? {}), ...routing };
    const [updated] = await transaction.query(
      `WITH changed AS (
        UPDATE pauses SET routing = $2::json, version = version + 1, updated_at = clock_timestamp()
        WHERE pause_id = $1
        RETURNING ${PAUSE_COLUMNS}, version
      )
      SELECT changed.*, ${notifyColumn("$3")} FROM changed`,
      [pauseId, toJson(merged), channel],
    );
    reportChange(transaction, updated!);
    await appendAuditEvents(transaction, audit);
    return rowToPause(updated!);
  });
}

export async function listExpiredPauses(
  database: Database,
  now: string,
  limit: number,
): Promise<PauseRecord[]> {
  const rows = await database.query(
    `SELECT ${PAUSE_COLUMNS} FROM pauses WHERE status = 'pending' AND expires_at <= $1::timestamptz
      ORDER BY expires_at ASC, pause_id ASC LIMIT $2`,
    [canonicalTimestamp(now), Math.max(0, Math.trunc(limit))],
  );
  return rows.map(rowToPause);
}

/**
 * Hands each due escalation out once, across instances: the due rows are
 * locked (skipping rows another instance holds) and their due time cleared in
 * one statement.
 */
export async function claimDueEscalations(
  database: Database,
  now: string,
  limit: number,
): Promise<PauseRecord[]> {
  const rows = await database.query(
    `WITH due AS (
        SELECT pause_id, escalate_at FROM pauses
        WHERE escalate_at IS NOT NULL AND escalate_at <= $1::timestamptz AND status = 'pending'
        ORDER BY escalate_at ASC, pause_id ASC LIMIT $2
        FOR UPDATE SKIP LOCKED
      )
      UPDATE pauses SET escalate_at = NULL FROM due WHERE pauses.pause_id = due.pause_id
      RETURNING ${PAUSE_COLUMNS.split(", ")
        .map((column) => `pauses.${column}`)
        .join(", ")}, due.escalate_at AS due_at`,
    [canonicalTimestamp(now), Math.max(0, Math.trunc(limit))],
  );
  return rows
    .sort((left, right) => Number(new Date(left.due_at as string)) - Number(new Date(right.due_at as string)))
    .map(rowToPause);
}
