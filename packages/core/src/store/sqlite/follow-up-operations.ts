import { CountersignError } from "../../errors/countersign-error.ts";
import type { FollowUpOutcome, FollowUpRecord } from "../records.ts";
import { clampLimit } from "./limit.ts";
import type { SqliteConnection } from "./sqlite-connection.ts";
import { addMilliseconds, canonicalTimestamp, canonicalTimestampOrNull } from "./timestamps.ts";

const FOLLOW_UP_COLUMNS =
  "follow_up_id, pause_id, channel, target, identity, reference, status, attempts, next_attempt_at, lease_until, last_error, created_at, done_at";

/** The unique (pause, channel, target) makes a second add for the same recipient a no-op. */
export function addFollowUp(connection: SqliteConnection, followUp: FollowUpRecord): boolean {
  const { changes } = connection
    .statement(
      `INSERT INTO follow_ups (${FOLLOW_UP_COLUMNS})
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (pause_id, channel, target) DO NOTHING`,
    )
    .run(
      followUp.followUpId,
      followUp.pauseId,
      followUp.channel,
      followUp.target,
      followUp.identity,
      followUp.reference,
      followUp.status,
      followUp.attempts,
      canonicalTimestamp(followUp.nextAttemptAt),
      canonicalTimestampOrNull(followUp.leaseUntil),
      followUp.lastError,
      canonicalTimestamp(followUp.createdAt),
      canonicalTimestampOrNull(followUp.doneAt),
    );
  return Number(changes) === 1;
}

export function leaseDueFollowUps(
  connection: SqliteConnection,
  channel: string,
  now: string,
  limit: number,
  leaseMs: number,
): FollowUpRecord[] {
  const at = canonicalTimestamp(now);
  const leaseUntil = addMilliseconds(at, Math.max(0, leaseMs));
  // Selecting and leasing under one write lock is what keeps two workers off the same follow-up.
  return connection.transaction(() => {
    const due = connection
      .statement(
        `SELECT follow_up_id FROM follow_ups
          WHERE channel = ? AND status = 'waiting' AND next_attempt_at <= ?
            AND (lease_until IS NULL OR lease_until <= ?)
            AND EXISTS (SELECT 1 FROM pauses WHERE pauses.pause_id = follow_ups.pause_id AND pauses.status <> 'pending')
          ORDER BY next_attempt_at ASC, follow_up_id ASC LIMIT ?`,
      )
      .all(channel, at, at, clampLimit(limit, 1_000));
    const lease = connection.statement("UPDATE follow_ups SET lease_until = ? WHERE follow_up_id = ?");
    const select = connection.statement(`SELECT ${FOLLOW_UP_COLUMNS} FROM follow_ups WHERE follow_up_id = ?`);
    return due.map((row) => {
      lease.run(leaseUntil, String(row.follow_up_id));
      return rowToFollowUp(select.get(String(row.follow_up_id)) as Record<string, unknown>);
    });
  });
}

export function finishFollowUp(
  connection: SqliteConnection,
  followUpId: string,
  outcome: FollowUpOutcome,
): void {
  const doneAt = outcome.status === "waiting" ? null : canonicalTimestamp(outcome.at);
  const { changes } = connection
    .statement(
      `UPDATE follow_ups
        SET status = ?, next_attempt_at = ?, last_error = ?, attempts = attempts + 1, lease_until = NULL, done_at = ?
        WHERE follow_up_id = ?`,
    )
    .run(outcome.status, canonicalTimestamp(outcome.nextAttemptAt), outcome.lastError, doneAt, followUpId);
  if (Number(changes) === 0) throw new CountersignError("not_found", `No follow-up ${followUpId}.`);
}

export function listFollowUps(connection: SqliteConnection, pauseId: string): FollowUpRecord[] {
  return connection
    .statement(
      `SELECT ${FOLLOW_UP_COLUMNS} FROM follow_ups WHERE pause_id = ? ORDER BY created_at, follow_up_id`,
    )
    .all(pauseId)
    .map(rowToFollowUp);
}

function rowToFollowUp(row: Record<string, unknown>): FollowUpRecord {
  const orNull = (value: unknown) => (value === null || value === undefined ? null : String(value));
  return {
    followUpId: String(row.follow_up_id),
    pauseId: String(row.pause_id),
    channel: String(row.channel),
    target: String(row.target),
    identity: String(row.identity),
    reference: orNull(row.reference),
    status: String(row.status) as FollowUpRecord["status"],
    attempts: Number(row.attempts),
    nextAttemptAt: String(row.next_attempt_at),
    leaseUntil: orNull(row.lease_until),
    lastError: orNull(row.last_error),
    createdAt: String(row.created_at),
    doneAt: orNull(row.done_at),
  };
}
