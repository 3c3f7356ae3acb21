import type { SQLInputValue } from "node:sqlite";
import { CountersignError } from "../../errors/countersign-error.ts";
import type { Routing } from "../../protocol/pause.ts";
import type { Execution } from "../../protocol/receipt.ts";
import type {
  AuditInput,
  DecisionUpdate,
  DelegationUse,
  DeliveryRecord,
  IdempotencyInput,
  PauseQuery,
  PauseRecord,
  StateChangeEffects,
} from "../records.ts";
import { appendAuditEvents } from "./audit-operations.ts";
import { decodePauseCursor, encodePauseCursor } from "./cursor.ts";
import { delegationActive } from "./delegation-operations.ts";
import { recordEffects } from "./delivery-operations.ts";
import { clampLimit } from "./limit.ts";
import { insertSql, PAUSE_COLUMNS, pauseToParameters, rowToPause } from "./row-mapping.ts";
import type { SqliteConnection } from "./sqlite-connection.ts";
import { canonicalTimestamp } from "./timestamps.ts";

// Every function here is synchronous and runs its writes in one transaction.

export function selectPause(connection: SqliteConnection, pauseId: string): PauseRecord | null {
  const row = connection.statement(`SELECT ${PAUSE_COLUMNS} FROM pauses WHERE pause_id = ?`).get(pauseId);
  return row === undefined ? null : rowToPause(row);
}

export function createPause(
  connection: SqliteConnection,
  pause: PauseRecord,
  options: { idempotency?: IdempotencyInput; audit: AuditInput[]; deliveries?: DeliveryRecord[] },
): { pause: PauseRecord; created: boolean } {
  const parameters = pauseToParameters(pause);
  return connection.transaction(() => {
    const { idempotency } = options;
    if (idempotency !== undefined) {
      const seen = connection
        .statement("SELECT request_hash, pause_id FROM idempotency_keys WHERE scope = ? AND key = ?")
        .get(idempotency.scope, idempotency.key);
      if (seen !== undefined) {
        if (seen.request_hash !== idempotency.requestHash) {
          throw new CountersignError(
            "idempotency_conflict",
            "This Idempotency-Key was already used with a different request body.",
            { pauseId: String(seen.pause_id) },
          );
        }
        const first = selectPause(connection, String(seen.pause_id));
        if (first === null)
          throw new Error(`idempotency key points at missing pause ${String(seen.pause_id)}`);
        return { pause: first, created: false };
      }
    }
    connection.statement(insertSql("pauses", PAUSE_COLUMNS)).run(parameters);
    if (idempotency !== undefined) {
      connection
        .statement("INSERT INTO idempotency_keys (scope, key, request_hash, pause_id) VALUES (?, ?, ?, ?)")
        .run(idempotency.scope, idempotency.key, idempotency.requestHash, pause.pauseId);
    }
    if (options.deliveries !== undefined) recordEffects(connection, { deliveries: options.deliveries });
    appendAuditEvents(connection, options.audit);
    return { pause: selectPause(connection, pause.pauseId)!, created: true };
  });
}

/**
 * The search: a substring of the id, agent, type, title or description, or of any
 * string or number inside the arguments (json_tree walks every nesting level).
 * `instr` rather than LIKE, so `%` and `_` in the search are plain characters.
 */
const TEXT_MATCH = `(
  instr(lower(pause_id), ?) > 0 OR instr(lower(agent_id), ?) > 0 OR instr(lower(action_type), ?) > 0
  OR instr(lower(coalesce(json_extract(action, '$.title'), '')), ?) > 0
  OR instr(lower(coalesce(json_extract(action, '$.description'), '')), ?) > 0
  OR EXISTS (
    SELECT 1 FROM json_tree(action, '$.data') AS node
    WHERE node.type IN ('text', 'integer', 'real') AND instr(lower(node.atom), ?) > 0
  )
)`;
const TEXT_MATCH_PLACES = 6;

export function listPauses(
  connection: SqliteConnection,
  query: PauseQuery,
): { items: PauseRecord[]; nextCursor: string | null } {
  const conditions: string[] = [];
  const parameters: SQLInputValue[] = [];
  if (query.status !== undefined) {
    conditions.push("status = ?");
    parameters.push(query.status);
  } else if (query.decided) conditions.push("status <> 'pending'");
  if (query.agentId !== undefined) {
    conditions.push("agent_id = ?");
    parameters.push(query.agentId);
  }
  if (query.actionType !== undefined) {
    conditions.push("action_type = ?");
    parameters.push(query.actionType);
  }
  if (query.risk === null) conditions.push("json_extract(action, '$.risk') IS NULL");
  else if (query.risk !== undefined) {
    conditions.push("json_extract(action, '$.risk') = ?");
    parameters.push(query.risk);
  }
  if (query.text !== undefined) {
    conditions.push(TEXT_MATCH);
    parameters.push(...Array<string>(TEXT_MATCH_PLACES).fill(query.text.toLowerCase()));
  }
  if (query.ownerKeyId !== undefined) {
    conditions.push("owner_key_id = ?");
    parameters.push(query.ownerKeyId);
  }
  if (query.claimedWithoutReceipt) conditions.push("claimed_at IS NOT NULL AND execution IS NULL");
  if (query.claimedBefore !== undefined) {
    conditions.push("claimed_at <= ?");
    parameters.push(canonicalTimestamp(query.claimedBefore));
  }
  if (query.cursor !== undefined) {
    const after = decodePauseCursor(query.cursor);
    conditions.push("(created_at < ? OR (created_at = ? AND pause_id < ?))");
    parameters.push(after.createdAt, after.createdAt, after.pauseId);
  }
  const limit = clampLimit(query.limit, 100);
  const filter = conditions.length === 0 ? "" : `WHERE ${conditions.join(" AND ")}`;
  // One row more than the page tells whether another page exists.
  const rows = connection
    .statement(
      `SELECT ${PAUSE_COLUMNS} FROM pauses ${filter} ORDER BY created_at DESC, pause_id DESC LIMIT ?`,
    )
    .all(...parameters, limit + 1);
  const items = rows.slice(0, limit).map(rowToPause);
  const last = items.at(-1);
  const nextCursor =
    rows.length > limit && last !== undefined
      ? encodePauseCursor({ createdAt: last.createdAt, pauseId: last.pauseId })
      : null;
  return { items, nextCursor };
}

export function decidePause(
  connection: SqliteConnection,
  pauseId: string,
  update: DecisionUpdate,
  effects: StateChangeEffects & { delegation?: DelegationUse },
): { ok: boolean; pause: PauseRecord; delegationEnded?: true } | null {
  return connection.transaction(() => {
    if (effects.delegation !== undefined && !delegationActive(connection, effects.delegation)) {
      const pause = selectPause(connection, pauseId);
      return pause === null ? null : { ok: false, pause, delegationEnded: true as const };
    }
    // The compare-and-set: only a pending pause changes, and `changes` says whether this caller won.
    const { changes } = connection
      .statement(
        "UPDATE pauses SET status = ?, decision = ?, proof = ? WHERE pause_id = ? AND status = 'pending'",
      )
      .run(
        update.status,
        update.decision === null ? null : JSON.stringify(update.decision),
        update.proof === null ? null : JSON.stringify(update.proof),
        pauseId,
      );
    if (Number(changes) === 1) {
      recordEffects(connection, effects);
      appendAuditEvents(connection, effects.audit);
    }
    const pause = selectPause(connection, pauseId);
    return pause === null ? null : { ok: Number(changes) === 1, pause };
  });
}

export function claimPause(
  connection: SqliteConnection,
  pauseId: string,
  at: string,
  audit: AuditInput,
  claimedBy: string | null,
): { ok: boolean; pause: PauseRecord } | null {
  const claimedAt = canonicalTimestamp(at);
  return connection.transaction(() => {
    const { changes } = connection
      .statement(
        "UPDATE pauses SET claimed_at = ?, claimed_by = ? WHERE pause_id = ? AND status = 'approved' AND claimed_at IS NULL",
      )
      .run(claimedAt, claimedBy, pauseId);
    if (Number(changes) === 1) appendAuditEvents(connection, [audit]);
    const pause = selectPause(connection, pauseId);
    return pause === null ? null : { ok: Number(changes) === 1, pause };
  });
}

/** The once-only receipt: a compare-and-set on a claimed pause that has none yet. */
export function recordExecution(
  connection: SqliteConnection,
  pauseId: string,
  execution: Execution,
  effects: StateChangeEffects,
): { ok: boolean; pause: PauseRecord } | null {
  return connection.transaction(() => {
    const { changes } = connection
      .statement(
        "UPDATE pauses SET execution = ? WHERE pause_id = ? AND claimed_at IS NOT NULL AND execution IS NULL",
      )
      .run(JSON.stringify(execution), pauseId);
    if (Number(changes) === 1) {
      recordEffects(connection, effects);
      appendAuditEvents(connection, effects.audit);
    }
    const pause = selectPause(connection, pauseId);
    return pause === null ? null : { ok: Number(changes) === 1, pause };
  });
}

export function updateRouting(
  connection: SqliteConnection,
  pauseId: string,
  routing: Partial<Routing>,
  audit: AuditInput[],
): { pause: PauseRecord; updated: boolean } | null {
  return connection.transaction(() => {
    const current = selectPause(connection, pauseId);
    if (current === null) return null;
    // Routing is governance for a pause still waiting on people; a decided pause keeps its record.
    if (current.status !== "pending") return { pause: current, updated: false };
    const merged = { ...(current.routing ?? {}), ...routing };
    connection
      .statement("UPDATE pauses SET routing = ? WHERE pause_id = ?")
      .run(JSON.stringify(merged), pauseId);
    appendAuditEvents(connection, audit);
    return { pause: selectPause(connection, pauseId)!, updated: true };
  });
}

export function listExpiredPauses(connection: SqliteConnection, now: string, limit: number): PauseRecord[] {
  return connection
    .statement(
      `SELECT ${PAUSE_COLUMNS} FROM pauses WHERE status = 'pending' AND expires_at <= ?
        ORDER BY expires_at ASC, pause_id ASC LIMIT ?`,
    )
    .all(canonicalTimestamp(now), Math.max(0, Math.trunc(limit)))
    .map(rowToPause);
}

/** Hands each due escalation out once: the rows are read and their due time cleared under one write lock. */
export function claimDueEscalations(connection: SqliteConnection, now: string, limit: number): PauseRecord[] {
  return connection.transaction(() => {
    const due = connection
      .statement(
        `SELECT ${PAUSE_COLUMNS} FROM pauses WHERE escalate_at IS NOT NULL AND escalate_at <= ? AND status = 'pending'
          ORDER BY escalate_at ASC, pause_id ASC LIMIT ?`,
      )
      .all(canonicalTimestamp(now), Math.max(0, Math.trunc(limit)))
      .map(rowToPause);
    const clear = connection.statement("UPDATE pauses SET escalate_at = NULL WHERE pause_id = ?");
    for (const pause of due) clear.run(pause.pauseId);
    return due.map(({ escalateAt: _claimed, ...pause }) => pause);
  });
}
