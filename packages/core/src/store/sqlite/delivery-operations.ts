import { CountersignError } from "../../errors/countersign-error.ts";
import type {
  AuditInput,
  DeliveryAttemptRecord,
  DeliveryRecord,
  DeliveryStatus,
  StateChangeEffects,
} from "../records.ts";
import { appendAuditEvents } from "./audit-operations.ts";
import { clampLimit } from "./limit.ts";
import {
  DELIVERY_ATTEMPT_COLUMNS,
  DELIVERY_COLUMNS,
  deliveryToParameters,
  insertSql,
  rowToDelivery,
  rowToDeliveryAttempt,
} from "./row-mapping.ts";
import type { SqliteConnection } from "./sqlite-connection.ts";
import { addMilliseconds, canonicalTimestamp, canonicalTimestampOrNull } from "./timestamps.ts";

/** Inserts into the outbox; call inside the transaction that decides the pause. */
export function insertDelivery(connection: SqliteConnection, delivery: DeliveryRecord): void {
  connection.statement(insertSql("deliveries", DELIVERY_COLUMNS)).run(deliveryToParameters(delivery));
}

/** Enqueues every delivery a state change carries and appends its audit events; call inside its transaction. */
export function recordEffects(
  connection: SqliteConnection,
  effects: Omit<StateChangeEffects, "audit">,
): void {
  if (effects.delivery !== undefined) insertDelivery(connection, effects.delivery);
  for (const delivery of effects.deliveries ?? []) insertDelivery(connection, delivery);
}

export function selectDelivery(connection: SqliteConnection, deliveryId: string): DeliveryRecord | null {
  const row = connection
    .statement(`SELECT ${DELIVERY_COLUMNS} FROM deliveries WHERE delivery_id = ?`)
    .get(deliveryId);
  return row === undefined ? null : rowToDelivery(row);
}

export function leaseDueDeliveries(
  connection: SqliteConnection,
  now: string,
  limit: number,
  leaseMs: number,
): DeliveryRecord[] {
  const at = canonicalTimestamp(now);
  const leaseUntil = addMilliseconds(at, Math.max(0, leaseMs));
  // Selecting and leasing under one write lock is what keeps two workers off the same delivery.
  return connection.transaction(() => {
    const due = connection
      .statement(
        `SELECT delivery_id FROM deliveries
          WHERE status = 'pending' AND next_attempt_at IS NOT NULL AND next_attempt_at <= ?
            AND (lease_until IS NULL OR lease_until <= ?)
          ORDER BY next_attempt_at ASC, delivery_id ASC LIMIT ?`,
      )
      .all(at, at, clampLimit(limit, 1_000));
    const lease = connection.statement("UPDATE deliveries SET lease_until = ? WHERE delivery_id = ?");
    return due.map((row) => {
      const deliveryId = String(row.delivery_id);
      lease.run(leaseUntil, deliveryId);
      return selectDelivery(connection, deliveryId)!;
    });
  });
}

export function recordDeliveryAttempt(
  connection: SqliteConnection,
  attempt: DeliveryAttemptRecord,
  next: { status: DeliveryStatus; nextAttemptAt: string | null },
  audit: AuditInput,
): void {
  const at = canonicalTimestamp(attempt.at);
  const nextAttemptAt = canonicalTimestampOrNull(next.nextAttemptAt);
  connection.transaction(() => {
    const { changes } = connection
      .statement(
        `UPDATE deliveries
          SET status = ?, next_attempt_at = ?, last_status = ?, last_error = ?, attempts = attempts + 1, lease_until = NULL
          WHERE delivery_id = ?`,
      )
      .run(next.status, nextAttemptAt, attempt.status, attempt.error, attempt.deliveryId);
    if (Number(changes) === 0) {
      throw new CountersignError("not_found", `No delivery ${attempt.deliveryId}.`);
    }
    connection
      .statement(
        `INSERT INTO delivery_attempts (${DELIVERY_ATTEMPT_COLUMNS})
          VALUES (:delivery_id, :attempt, :at, :status, :error, :duration_ms)`,
      )
      .run({
        delivery_id: attempt.deliveryId,
        attempt: attempt.attempt,
        at,
        status: attempt.status,
        error: attempt.error,
        duration_ms: attempt.durationMs,
      });
    appendAuditEvents(connection, [audit]);
  });
}

export function listDeliveries(connection: SqliteConnection, pauseId: string): DeliveryRecord[] {
  return connection
    .statement(
      `SELECT ${DELIVERY_COLUMNS} FROM deliveries WHERE pause_id = ? ORDER BY created_at, delivery_id`,
    )
    .all(pauseId)
    .map(rowToDelivery);
}

export function listDeliveryAttempts(
  connection: SqliteConnection,
  deliveryId: string,
): DeliveryAttemptRecord[] {
  return connection
    .statement(
      `SELECT ${DELIVERY_ATTEMPT_COLUMNS} FROM delivery_attempts WHERE delivery_id = ? ORDER BY attempt`,
    )
    .all(deliveryId)
    .map(rowToDeliveryAttempt);
}

export function redeliver(
  connection: SqliteConnection,
  deliveryId: string,
  now: string,
  audit: AuditInput,
): DeliveryRecord | null {
  const at = canonicalTimestamp(now);
  return connection.transaction(() => {
    // A lease held by a worker mid-send stays: clearing it would let a second worker send at the same time.
    const { changes } = connection
      .statement("UPDATE deliveries SET status = 'pending', next_attempt_at = ? WHERE delivery_id = ?")
      .run(at, deliveryId);
    if (Number(changes) === 0) return null;
    appendAuditEvents(connection, [audit]);
    return selectDelivery(connection, deliveryId);
  });
}

/** Served by the `deliveries_due` index (status first). */
export function countPendingDeliveries(connection: SqliteConnection): number {
  const row = connection
    .statement("SELECT COUNT(*) AS pending FROM deliveries WHERE status = 'pending'")
    .get();
  return Number(row?.pending ?? 0);
}
