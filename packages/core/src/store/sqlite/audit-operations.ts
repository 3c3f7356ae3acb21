import type { SQLInputValue } from "node:sqlite";
import { nextAuditEvent } from "../../audit/audit-chain.ts";
import type { AuditEvent } from "../../protocol/audit-event.ts";
import type { AuditInput, AuditQuery } from "../records.ts";
import { clampLimit } from "./limit.ts";
import { AUDIT_COLUMNS, auditEventToParameters, rowToAuditEvent } from "./row-mapping.ts";
import type { SqliteConnection } from "./sqlite-connection.ts";
import { canonicalTimestamp } from "./timestamps.ts";

const INSERT_AUDIT_SQL = `INSERT INTO audit_events (seq, event_id, type, pause_id, agent_id, actor, actor_id, at, at_ms, data, prev_hash, hash)
  VALUES (:seq, :event_id, :type, :pause_id, :agent_id, :actor, :actor_id, :at, :at_ms, :data, :prev_hash, :hash)`;

/**
 * Appends events to the chain. Call only inside a transaction: reading the
 * last link and inserting the next under one write lock is what keeps the
 * chain from forking (and `seq` is the primary key, so a fork could not commit anyway).
 */
export function appendAuditEvents(connection: SqliteConnection, inputs: readonly AuditInput[]): AuditEvent[] {
  const appended: AuditEvent[] = [];
  let previous = lastLink(connection);
  for (const input of inputs) {
    canonicalTimestamp(input.at); // rejects an unparseable time before it reaches the chain
    const event = nextAuditEvent(previous, input);
    connection.statement(INSERT_AUDIT_SQL).run(auditEventToParameters(event));
    appended.push(event);
    previous = event;
  }
  return appended;
}

function lastLink(connection: SqliteConnection): { seq: number; hash: string } | null {
  const row = connection.statement("SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1").get();
  return row === undefined ? null : { seq: Number(row.seq), hash: String(row.hash) };
}

export function auditHead(connection: SqliteConnection): AuditEvent | null {
  const row = connection
    .statement(`SELECT ${AUDIT_COLUMNS} FROM audit_events ORDER BY seq DESC LIMIT 1`)
    .get();
  return row === undefined ? null : rowToAuditEvent(row);
}

export function listAuditEvents(connection: SqliteConnection, query: AuditQuery): AuditEvent[] {
  const conditions: string[] = [];
  const parameters: SQLInputValue[] = [];
  const where = (condition: string, value: SQLInputValue) => {
    conditions.push(condition);
    parameters.push(value);
  };
  if (query.afterSeq !== undefined) where("seq > ?", query.afterSeq);
  if (query.pauseId !== undefined) where("pause_id = ?", query.pauseId);
  if (query.agentId !== undefined) where("agent_id = ?", query.agentId);
  if (query.actorId !== undefined) where("actor_id = ?", query.actorId);
  if (query.type !== undefined) where("type = ?", query.type);
  if (query.since !== undefined) where("at_ms >= ?", Date.parse(canonicalTimestamp(query.since)));
  if (query.until !== undefined) where("at_ms <= ?", Date.parse(canonicalTimestamp(query.until)));
  const filter = conditions.length === 0 ? "" : `WHERE ${conditions.join(" AND ")}`;
  const limit = clampLimit(query.limit, 1_000);
  return connection
    .statement(`SELECT ${AUDIT_COLUMNS} FROM audit_events ${filter} ORDER BY seq ASC LIMIT ?`)
    .all(...parameters, limit)
    .map(rowToAuditEvent);
}
