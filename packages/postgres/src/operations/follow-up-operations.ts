import { CountersignError } from "@countersign/core";
import type { FollowUpOutcome, FollowUpRecord } from "@countersign/core/server";
import { clampLimit } from "../cursor.ts";
import type { Database, Row } from "../database.ts";
import {
  addMilliseconds,
  canonicalTimestamp,
  canonicalTimestampOrNull,
  fromTimestamp,
  fromTimestampOrNull,
} from "../timestamps.ts";

const FOLLOW_UP_COLUMNS =
  "follow_up_id, pause_id, channel, target, identity, reference, status, attempts, next_attempt_at, lease_until, last_error, created_at, done_at";

/** The unique (pause, channel, target) makes a second add for the same recipient a no-op. */
export async function addFollowUp(database: Database, followUp: FollowUpRecord): Promise<boolean> {
  const inserted = await database.query(
    `INSERT INTO follow_ups (${FOLLOW_UP_COLUMNS})
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::timestamptz, $10::timestamptz, $11, $12::timestamptz, $13::timestamptz)
      ON CONFLICT (pause_id, channel, target) DO NOTHING
      RETURNING follow_up_id`,
    [
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
    ],
  );
  return inserted.length === 1;
}

/** `FOR UPDATE SKIP LOCKED`, as for webhook deliveries: each instance takes rows no other is leasing. */
export async function leaseDueFollowUps(
  database: Database,
  channel: string,
  now: string,
  limit: number,
  leaseMs: number,
): Promise<FollowUpRecord[]> {
  const at = canonicalTimestamp(now);
  const leaseUntil = addMilliseconds(at, Math.max(0, leaseMs));
  const rows = await database.query(
    `UPDATE follow_ups SET lease_until = $3::timestamptz
      WHERE follow_up_id IN (
        SELECT follow_up_id FROM follow_ups
        WHERE channel = $1 AND status = 'waiting' AND next_attempt_at <= $2::timestamptz
          AND (lease_until IS NULL OR lease_until <= $2::timestamptz)
          AND EXISTS (SELECT 1 FROM pauses WHERE pauses.pause_id = follow_ups.pause_id AND pauses.status <> 'pending')
        ORDER BY next_attempt_at ASC, follow_up_id ASC
        LIMIT $4
        FOR UPDATE OF follow_ups SKIP LOCKED
      )
      RETURNING ${FOLLOW_UP_COLUMNS}`,
    [channel, at, leaseUntil, clampLimit(limit, 1_000)],
  );
  return rows.map(rowToFollowUp).sort(byDueTime);
}

export async function finishFollowUp(
  database: Database,
  followUpId: string,
  outcome: FollowUpOutcome,
): Promise<void> {
  const doneAt = outcome.status === "waiting" ? null : canonicalTimestamp(outcome.at);
  const updated = await database.query(
    `UPDATE follow_ups
      SET status = $2, next_attempt_at = $3::timestamptz, last_error = $4, attempts = attempts + 1,
        lease_until = NULL, done_at = $5::timestamptz
      WHERE follow_up_id = $1
      RETURNING follow_up_id`,
    [followUpId, outcome.status, canonicalTimestamp(outcome.nextAttemptAt), outcome.lastError, doneAt],
  );
  if (updated.length === 0) throw new CountersignError("not_found", `No follow-up ${followUpId}.`);
}

export async function listFollowUps(database: Database, pauseId: string): Promise<FollowUpRecord[]> {
  const rows = await database.query(
    `SELECT ${FOLLOW_UP_COLUMNS} FROM follow_ups WHERE pause_id = $1 ORDER BY created_at, follow_up_id`,
    [pauseId],
  );
  return rows.map(rowToFollowUp);
}

function rowToFollowUp(row: Row): FollowUpRecord {
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
    nextAttemptAt: fromTimestamp(row.next_attempt_at),
    leaseUntil: fromTimestampOrNull(row.lease_until),
    lastError: orNull(row.last_error),
    createdAt: fromTimestamp(row.created_at),
    doneAt: fromTimestampOrNull(row.done_at),
  };
}

function byDueTime(a: FollowUpRecord, b: FollowUpRecord): number {
  if (a.nextAttemptAt !== b.nextAttemptAt) return a.nextAttemptAt < b.nextAttemptAt ? -1 : 1;
  return a.followUpId < b.followUpId ? -1 : a.followUpId > b.followUpId ? 1 : 0;
}
