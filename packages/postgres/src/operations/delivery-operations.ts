import { CountersignError } from "@countersign/core";
import type {
  AuditInput,
  DeliveryAttemptRecord,
  DeliveryRecord,
  DeliveryStatus,
  StateChangeEffects,
} from "@countersign/core/server";
import { clampLimit } from "../cursor.ts";
import type { Database, Transaction } from "../database.ts";
import {
  DELIVERY_ATTEMPT_COLUMNS,
  DELIVERY_COLUMNS,
  deliveryValues,
  placeholders,
  rowToDelivery,
  rowToDeliveryAttempt,
} from "../row-mapping.ts";
import { addMilliseconds, canonicalTimestamp, canonicalTimestampOrNull } from "../timestamps.ts";
import { appendAuditEvents } from "./audit-operations.ts";

/** Inserts into the outbox; called inside the transaction that decides the pause. */
export async function insertDelivery(transaction: Transaction, delivery: DeliveryRecord): Promise<void> {
  await transaction.query(
    `INSERT INTO deliveries (${DELIVERY_COLUMNS}) VALUES (${placeholders(12)})`,
    deliveryValues(delivery),
  );
}

/** Enqueues every delivery a state change carries; call inside its transaction. */
export async function recordEffects(
  transaction: Transaction,
  effects: Omit<StateChangeEffects, "audit">,
): Promise<void> {
  if (effects.delivery !== undefined) await insertDelivery(transaction, effects.delivery);
  for (const delivery of effects.deliveries ?? []) await insertDelivery(transaction, delivery);
}

/**
 * An `INSERT INTO deliveries … SELECT` of every delivery in one statement
 * (a CTE of the statement that opens a pause), from the arrays
 * `deliveryArrays` gives, starting at parameter `$first`.
 */
export function insertDeliveriesSql(first: number): string {
  const p = (index: number) => `$${first + index}`;
  return `INSERT INTO deliveries (${DELIVERY_COLUMNS})
    SELECT * FROM unnest(${p(0)}::text[], ${p(1)}::text[], ${p(2)}::text[], ${p(3)}::text[], ${p(4)}::text[],
      ${p(5)}::integer[], ${p(6)}::timestamptz[], ${p(7)}::timestamptz[], ${p(8)}::integer[], ${p(9)}::text[],
      ${p(10)}::timestamptz[], ${p(11)}::text[])`;
}

/** The twelve column arrays `insertDeliveriesSql` takes. */
export function deliveryArrays(deliveries: readonly DeliveryRecord[]): unknown[] {
  const rows = deliveries.map(deliveryValues);
  return Array.from({ length: 12 }, (_, column) => rows.map((row) => row[column]));
}

export async function selectDelivery(database: Database, deliveryId: string): Promise<DeliveryRecord | null> {
  const [row] = await database.query(`SELECT ${DELIVERY_COLUMNS} FROM deliveries WHERE delivery_id = $1`, [
    deliveryId,
  ]);
  return row === undefined ? null : rowToDelivery(row);
}

/**
 * `FOR UPDATE SKIP LOCKED` lets each instance take due rows no other instance
 * is leasing right now without waiting for it; a row another instance leased
 * and committed meanwhile is re-checked after the lock and left alone, because
 * its `lease_until` is now in the future.
 */
export async function leaseDueDeliveries(
  database: Database,
  now: string,
  limit: number,
  leaseMs: number,
): Promise<DeliveryRecord[]> {
  const at = canonicalTimestamp(now);
  const leaseUntil = addMilliseconds(at, Math.max(0, leaseMs));
  const rows = await database.query(
    `UPDATE deliveries SET lease_until = $2::timestamptz
      WHERE delivery_id IN (
        SELECT delivery_id FROM deliveries
        WHERE status = 'pending' AND next_attempt_at <= $1::timestamptz
          AND (lease_until IS NULL OR lease_until <= $1::timestamptz)
        ORDER BY next_attempt_at ASC, delivery_id ASC
        LIMIT $3
        FOR UPDATE SKIP LOCKED
      )
      RETURNING ${DELIVERY_COLUMNS}`,
    [at, leaseUntil, clampLimit(limit, 1_000)],
  );
  return rows.map(rowToDelivery).sort(byDueTime);
}

function byDueTime(a: DeliveryRecord, b: DeliveryRecord): number {
  const aDue = a.nextAttemptAt ?? "";
  const bDue = b.nextAttemptAt ?? "";
  if (aDue !== bDue) return aDue < bDue ? -1 : 1;
  return a.deliveryId < b.deliveryId ? -1 : a.deliveryId > b.deliveryId ? 1 : 0;
}

export async function recordDeliveryAttempt(
  database: Database,
  attempt: DeliveryAttemptRecord,
  next: { status: DeliveryStatus; nextAttemptAt: string | null },
  audit: AuditInput,
): Promise<void> {
  const at = canonicalTimestamp(attempt.at);
  const nextAttemptAt = canonicalTimestampOrNull(next.nextAttemptAt);
  await database.transaction(async (transaction) => {
    const updated = await transaction.query(
      `UPDATE deliveries
        SET status = $2, next_attempt_at = $3::timestamptz, last_status = $4, last_error = $5,
          attempts = attempts + 1, lease_until = NULL
        WHERE delivery_id = $1
        RETURNING delivery_id`,
      [attempt.deliveryId, next.status, nextAttemptAt, attempt.status, attempt.error],
    );
    if (updated.length === 0) throw new CountersignError("not_found", `No delivery ${attempt.deliveryId}.`);
    await transaction.query(
      `INSERT INTO delivery_attempts (${DELIVERY_ATTEMPT_COLUMNS}) VALUES ($1, $2, $3::timestamptz, $4, $5, $6)`,
      [attempt.deliveryId, attempt.attempt, at, attempt.status, attempt.error, attempt.durationMs],
    );
    await appendAuditEvents(transaction, [audit]);
  });
}

export async function listDeliveries(database: Database, pauseId: string): Promise<DeliveryRecord[]> {
  const rows = await database.query(
    `SELECT ${DELIVERY_COLUMNS} FROM deliveries WHERE pause_id = $1 ORDER BY created_at, delivery_id`,
    [pauseId],
  );
  return rows.map(rowToDelivery);
}

/** Served by the partial `deliveries_due` index (pending rows only). */
export async function countPendingDeliveries(database: Database): Promise<number> {
  const [row] = await database.query("SELECT COUNT(*) AS pending FROM deliveries WHERE status = 'pending'");
  return Number(row?.pending ?? 0);
}

export async function listDeliveryAttempts(
  database: Database,
  deliveryId: string,
): Promise<DeliveryAttemptRecord[]> {
  const rows = await database.query(
    `SELECT ${DELIVERY_ATTEMPT_COLUMNS} FROM delivery_attempts WHERE delivery_id = $1 ORDER BY attempt`,
    [deliveryId],
  );
  return rows.map(rowToDeliveryAttempt);
}

export async function redeliver(
  database: Database,
  deliveryId: string,
  now: string,
  audit: AuditInput,
): Promise<DeliveryRecord | null> {
  const at = canonicalTimestamp(now);
  return database.transaction(async (transaction) => {
    // A lease held by a worker mid-send stays: clearing it would let a second worker send at the same time.
    const [row] = await transaction.query(
      `UPDATE deliveries SET status = 'pending', next_attempt_at = $2::timestamptz WHERE delivery_id = $1
        RETURNING ${DELIVERY_COLUMNS}`,
      [deliveryId, at],
    );
    if (row === undefined) return null;
    await appendAuditEvents(transaction, [audit]);
    return rowToDelivery(row);
  });
}
