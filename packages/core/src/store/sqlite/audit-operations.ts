import type { SQLInputValue } from "node:sqlite";
import { frontierIds } from "../../audit/merkle-frontier.ts";
import { type MerkleNode, type MerkleNodeId, nodeKey } from "../../audit/merkle-hash.ts";
import { type SealedHead, sealAuditEvents, treeNodesFor } from "../../audit/seal-audit-events.ts";
import type { AuditEvent } from "../../protocol/audit-event.ts";
import { newId } from "../../protocol/ids.ts";
import type { AuditInput, AuditQuery } from "../records.ts";
import { clampLimit } from "./limit.ts";
import { AUDIT_COLUMNS, auditEventToParameters, rowToAuditEvent } from "./row-mapping.ts";
import type { SqliteConnection } from "./sqlite-connection.ts";
import { canonicalTimestamp } from "./timestamps.ts";

const INSERT_AUDIT_SQL = `INSERT INTO audit_events (seq, event_id, type, pause_id, agent_id, actor, actor_id, at, at_ms, data, prev_hash, hash)
  VALUES (:seq, :event_id, :type, :pause_id, :agent_id, :actor, :actor_id, :at, :at_ms, :data, :prev_hash, :hash)`;
const INSERT_NODE_SQL = "INSERT INTO audit_nodes (level, idx, hash) VALUES (?, ?, ?)";
const SELECT_NODE_SQL = "SELECT hash FROM audit_nodes WHERE level = ? AND idx = ?";

// The tree's right edge after this connection's last append, so the next one need not read it back.
const lastSealed = new WeakMap<SqliteConnection, SealedHead>();

/**
 * Seals events as they are written: one writer holds SQLite's lock, so each
 * event gets its `seq`, chain link and Merkle leaf in the transaction that
 * records it — nothing waits to be sealed. Call only inside a transaction:
 * reading the head and inserting the next link under one write lock is what
 * keeps the chain from forking (and `seq` is the primary key, so a fork could not commit anyway).
 */
export function appendAuditEvents(connection: SqliteConnection, inputs: readonly AuditInput[]): AuditEvent[] {
  if (inputs.length === 0) return [];
  for (const input of inputs) canonicalTimestamp(input.at); // rejects an unparseable time before it reaches the chain
  const sealed = sealedHead(connection);
  const result = sealAuditEvents(
    sealed,
    inputs.map((input) => ({ eventId: newId("auditEvent"), input })),
  );
  for (const event of result.events)
    connection.statement(INSERT_AUDIT_SQL).run(auditEventToParameters(event));
  insertNodes(connection, result.nodes);
  lastSealed.set(connection, result.sealed);
  return result.events;
}

function sealedHead(connection: SqliteConnection): SealedHead {
  const head = lastLink(connection);
  const cached = lastSealed.get(connection);
  // Another process, or a write rolled back to its savepoint, may have moved the head since.
  if (cached && cached.head?.seq === head?.seq && cached.head?.hash === head?.hash) return cached;
  return { head, frontier: readFrontier(connection, head?.seq ?? 0) };
}

function readFrontier(connection: SqliteConnection, size: number): MerkleNode[] {
  return frontierIds(size).map((id) => {
    const hash = readNode(connection, id);
    if (!hash) throw new Error(`audit tree node ${nodeKey(id)} is missing: run migrate()`);
    return { ...id, hash };
  });
}

function readNode(connection: SqliteConnection, id: MerkleNodeId): Uint8Array | null {
  const row = connection.statement(SELECT_NODE_SQL).get(id.level, id.index);
  return row === undefined ? null : (row.hash as Uint8Array);
}

function insertNodes(connection: SqliteConnection, nodes: readonly MerkleNode[]): void {
  const insert = connection.statement(INSERT_NODE_SQL);
  for (const node of nodes) insert.run(node.level, node.index, node.hash);
}

function lastLink(connection: SqliteConnection): { seq: number; hash: string } | null {
  const row = connection.statement("SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1").get();
  return row === undefined ? null : { seq: Number(row.seq), hash: String(row.hash) };
}

export function auditTreeNodes(
  connection: SqliteConnection,
  ids: readonly MerkleNodeId[],
): Map<string, Uint8Array> {
  const found = new Map<string, Uint8Array>();
  for (const id of ids) {
    const hash = readNode(connection, id);
    if (hash) found.set(nodeKey(id), hash);
  }
  return found;
}

/**
 * Builds the Merkle tree over events sealed before it existed (a log from an
 * older version). Runs inside the migration's transaction; a no-op once the
 * tree covers the whole log.
 */
export function backfillAuditTree(connection: SqliteConnection): void {
  const covered = connection.statement("SELECT max(idx) AS last FROM audit_nodes WHERE level = 0").get();
  let size = covered?.last === null || covered?.last === undefined ? 0 : Number(covered.last) + 1;
  let frontier = readFrontier(connection, size);
  for (;;) {
    const events = connection
      .statement(`SELECT ${AUDIT_COLUMNS} FROM audit_events WHERE seq > ? ORDER BY seq ASC LIMIT 5000`)
      .all(size)
      .map(rowToAuditEvent);
    if (events.length === 0) return;
    const grown = treeNodesFor(frontier, size, events);
    insertNodes(connection, grown.nodes);
    frontier = grown.frontier;
    size += events.length;
  }
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
