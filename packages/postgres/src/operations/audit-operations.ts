import { type AuditEvent, newId } from "@countersign/core";
import {
  type AuditInput,
  type AuditQuery,
  frontierIds,
  type MerkleNode,
  type MerkleNodeId,
  nodeKey,
  treeNodesFor,
} from "@countersign/core/server";
import { clampLimit } from "../cursor.ts";
import type { Database, Transaction } from "../database.ts";
import { AUDIT_COLUMNS, rowToAuditEvent, toJson } from "../row-mapping.ts";
import { canonicalTimestamp } from "../timestamps.ts";

/** The audit insert with its nine array parameters numbered from `$<first>`. */
export function insertAuditSql(first = 1): string {
  const p = (index: number) => `$${first + index}`;
  return `
  INSERT INTO audit_events (event_id, type, pause_id, agent_id, actor, actor_id, at, at_time, data)
  SELECT * FROM unnest(${p(0)}::text[], ${p(1)}::text[], ${p(2)}::text[], ${p(3)}::text[], ${p(4)}::json[], ${p(5)}::text[],
    ${p(6)}::text[], ${p(7)}::timestamptz[], ${p(8)}::json[])`;
}

/** The nine arrays `insertAuditSql` takes, for events with these ids. */
export function auditValues(inputs: readonly AuditInput[], ids: readonly string[]): unknown[] {
  return [
    ids,
    inputs.map((input) => input.type),
    inputs.map((input) => input.pauseId),
    inputs.map((input) => input.agentId),
    inputs.map((input) => toJson(input.actor)),
    inputs.map((input) => input.actor.id),
    inputs.map((input) => input.at),
    inputs.map((input) => canonicalTimestamp(input.at)), // rejects an unparseable time before it reaches the log
    inputs.map((input) => toJson(input.data)),
  ];
}

/**
 * Records events inside `transaction`, unsealed: no `seq`, no hash, no lock
 * shared with any other writer. The row's `xid` (the transaction's id, a
 * column default) and `id` (an identity) are what the sealer orders by once
 * the transaction has committed; a rolled-back transaction leaves nothing to seal.
 */
export async function appendAuditEvents(
  transaction: Transaction,
  inputs: readonly AuditInput[],
  newEventId: () => string = () => newId("auditEvent"),
): Promise<string[]> {
  if (inputs.length === 0) return [];
  const ids = inputs.map(() => newEventId());
  await transaction.query(insertAuditSql(), auditValues(inputs, ids));
  transaction.appendedAudit();
  return ids;
}

/** The sealed head event, or null for an empty log. */
export async function sealedHeadEvent(database: Pick<Database, "query">): Promise<AuditEvent | null> {
  const [row] = await database.query(
    `SELECT ${AUDIT_COLUMNS} FROM audit_events WHERE seq = (SELECT seq FROM audit_head WHERE id)`,
  );
  return row === undefined ? null : rowToAuditEvent(row);
}

export async function auditEventById(database: Database, eventId: string): Promise<AuditEvent | null> {
  const [row] = await database.query(
    `SELECT ${AUDIT_COLUMNS} FROM audit_events WHERE event_id = $1 AND seq IS NOT NULL`,
    [eventId],
  );
  return row === undefined ? null : rowToAuditEvent(row);
}

export async function listAuditEvents(database: Database, query: AuditQuery): Promise<AuditEvent[]> {
  const conditions: string[] = ["seq IS NOT NULL"];
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
  values.push(clampLimit(query.limit, 1_000));
  const rows = await database.query(
    `SELECT ${AUDIT_COLUMNS} FROM audit_events WHERE ${conditions.join(" AND ")} ORDER BY seq ASC LIMIT $${values.length}`,
    values,
  );
  return rows.map(rowToAuditEvent);
}

export async function readAuditNodes(
  database: Pick<Database, "query">,
  ids: readonly MerkleNodeId[],
): Promise<Map<string, Uint8Array>> {
  const found = new Map<string, Uint8Array>();
  if (ids.length === 0) return found;
  const rows = await database.query(
    `SELECT n.level, n.idx, n.hash FROM unnest($1::smallint[], $2::bigint[]) AS wanted(level, idx)
      JOIN audit_nodes AS n ON n.level = wanted.level AND n.idx = wanted.idx`,
    [ids.map((id) => id.level), ids.map((id) => id.index)],
  );
  for (const row of rows) {
    found.set(nodeKey({ level: Number(row.level), index: Number(row.idx) }), row.hash as Uint8Array);
  }
  return found;
}

export async function insertAuditNodes(
  transaction: Pick<Transaction, "query">,
  nodes: readonly MerkleNode[],
): Promise<void> {
  if (nodes.length === 0) return;
  await transaction.query(
    `INSERT INTO audit_nodes (level, idx, hash)
      SELECT level, idx, decode(hash, 'hex') FROM unnest($1::smallint[], $2::bigint[], $3::text[]) AS t(level, idx, hash)`,
    [
      nodes.map((node) => node.level),
      nodes.map((node) => node.index),
      nodes.map((node) => Buffer.from(node.hash).toString("hex")),
    ],
  );
}

export async function readFrontier(database: Pick<Database, "query">, size: number): Promise<MerkleNode[]> {
  const ids = frontierIds(size);
  const nodes = await readAuditNodes(database, ids);
  return ids.map((id) => {
    const hash = nodes.get(nodeKey(id));
    if (!hash) throw new Error(`audit tree node ${nodeKey(id)} is missing: run migrate()`);
    return { ...id, hash };
  });
}

/**
 * Builds the Merkle tree over events sealed before it existed (a log from an
 * older version), inside the migration's transaction; a no-op once the tree
 * covers every sealed event.
 */
export async function backfillAuditTree(transaction: Pick<Transaction, "query">): Promise<void> {
  const [covered] = await transaction.query("SELECT max(idx) AS last FROM audit_nodes WHERE level = 0");
  let size = covered?.last === null || covered?.last === undefined ? 0 : Number(covered.last) + 1;
  let frontier = await readFrontier(transaction, size);
  for (;;) {
    const rows = await transaction.query(
      `SELECT ${AUDIT_COLUMNS} FROM audit_events WHERE seq > $1 ORDER BY seq ASC LIMIT 5000`,
      [size],
    );
    if (rows.length === 0) return;
    const grown = treeNodesFor(frontier, size, rows.map(rowToAuditEvent));
    await insertAuditNodes(transaction, grown.nodes);
    frontier = grown.frontier;
    size += rows.length;
  }
}
