import type { AuditEvent } from "@countersign/core";
import { type AuditInput, type AuditQuery, nextAuditEvent } from "@countersign/core/server";
import { clampLimit } from "../cursor.ts";
import type { Database, Transaction } from "../database.ts";
import { AUDIT_COLUMNS, rowToAuditEvent, toJson } from "../row-mapping.ts";
import { canonicalTimestamp } from "../timestamps.ts";

const INSERT_AUDIT_SQL = `
  WITH appended AS (
    INSERT INTO audit_events (seq, event_id, type, pause_id, agent_id, actor, actor_id, at, at_time, data, prev_hash, hash)
    SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::json[], $7::text[],
      $8::text[], $9::timestamptz[], $10::json[], $11::text[], $12::text[])
    RETURNING seq
  )
  UPDATE audit_head SET seq = $13, hash = $14 WHERE id`;

/**
 * Appends events to the chain inside `transaction`. `SELECT … FOR UPDATE` on
 * the one-row `audit_head` makes appends from every connection and every
 * instance take turns until their transactions end, and returns the head as
 * last committed (READ COMMITTED re-reads a row it had to wait for), so each
 * event links to the one committed before it. Call it last in a transaction:
 * the lock is held until COMMIT.
 */
export async function appendAuditEvents(
  transaction: Transaction,
  inputs: readonly AuditInput[],
): Promise<AuditEvent[]> {
  if (inputs.length === 0) return [];
  for (const input of inputs) canonicalTimestamp(input.at); // rejects an unparseable time before it reaches the chain
  await transaction.takeAuditTurn();
  const [head] = await transaction.query("SELECT seq, hash FROM audit_head WHERE id FOR UPDATE");
  if (head === undefined) throw new Error("audit_head is missing: run migrate()");
  let previous = { seq: Number(head.seq), hash: String(head.hash) };
  const events: AuditEvent[] = [];
  for (const input of inputs) {
    const event = nextAuditEvent(previous, input);
    events.push(event);
    previous = event;
  }
  await transaction.query(INSERT_AUDIT_SQL, [
    events.map((event) => event.seq),
    events.map((event) => event.event_id),
    events.map((event) => event.type),
    events.map((event) => event.pause_id),
    events.map((event) => event.agent_id),
    events.map((event) => toJson(event.actor)),
    events.map((event) => event.actor.id),
    events.map((event) => event.at),
    events.map((event) => canonicalTimestamp(event.at)),
    events.map((event) => toJson(event.data)),
    events.map((event) => event.prev_hash),
    events.map((event) => event.hash),
    previous.seq,
    previous.hash,
  ]);
  return events;
}

export async function auditHead(database: Database): Promise<AuditEvent | null> {
  const [row] = await database.query(`SELECT ${AUDIT_COLUMNS} FROM audit_events ORDER BY seq DESC LIMIT 1`);
  return row === undefined ? null : rowToAuditEvent(row);
}

export async function listAuditEvents(database: Database, query: AuditQuery): Promise<AuditEvent[]> {
  const conditions: string[] = [];
  const values: unknown[] = [];
  const where = (condition: (placeholder: string) => string, value: unknown) => {
    values.push(value);
    conditions.push(condition(`$${values.length}`));
  };
  if (query.afterSeq !== undefined) where((p) => `seq > ${p}`, query.afterSeq);
  if (query.pauseId !== undefined) where((p) => `pause_id = ${p}`, query.pauseId);
  if (query.agentId !== undefined) where((p) => `agent_id = ${p}`, query.agentId);
  if (query.actorId !== undefined) where((p) => `actor_id = ${p}`, query.actorId);
  if (query.type !== undefined) where((p) => `type = ${p}`, query.type);
  if (query.since !== undefined)
    where((p) => `at_time >= ${p}::timestamptz`, canonicalTimestamp(query.since));
  if (query.until !== undefined)
    where((p) => `at_time <= ${p}::timestamptz`, canonicalTimestamp(query.until));
  const filter = conditions.length === 0 ? "" : `WHERE ${conditions.join(" AND ")}`;
  values.push(clampLimit(query.limit, 1_000));
  const rows = await database.query(
    `SELECT ${AUDIT_COLUMNS} FROM audit_events ${filter} ORDER BY seq ASC LIMIT $${values.length}`,
    values,
  );
  return rows.map(rowToAuditEvent);
}

/** `appendAudit` on its own: one event in its own transaction. */
export async function appendAudit(database: Database, input: AuditInput): Promise<AuditEvent> {
  const [event] = await database.transaction((transaction) => appendAuditEvents(transaction, [input]));
  return event!;
}
