import { CountersignError } from "@countersign/core";
import { type AuditInput, type SealedHead, sealAuditEvents } from "@countersign/core/server";
import type { Database } from "./database.ts";
import { insertAuditNodes, readFrontier } from "./operations/audit-operations.ts";

// Any constant works as long as every instance uses the same one ("countersign.seal").
const SEAL_LOCK = 7_340_851_296_473_023;
const COALESCE_MS = 5;

export interface AuditSealerOptions {
  database: Database;
  /** Who seals, recorded in `audit_head.sealed_by` (for operators). */
  instance: string;
  /** Most events sealed in one round. Default 5000. */
  batchSize?: number;
  /** How often an instance looks for events to seal when none of its own woke it, in ms. Default 200. */
  intervalMs?: number;
  /** How long an audit read waits while no earlier event gets sealed before it fails, in ms. Default 15000. */
  catchUpTimeoutMs?: number;
}

export interface AuditSealer {
  /** Asks for a round soon (after this process committed events). */
  wake(): void;
  /** One round: seals what is safe to seal; -1 when another instance was sealing. */
  sealOnce(): Promise<number>;
  /** Resolves once every event committed before the call is sealed. */
  catchUp(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Seals the audit log: gives committed events their `seq`, hash-chain link
 * and Merkle leaf, in batches, one sealer at a time across every instance.
 *
 * - Leadership is per round: a round runs in a transaction that first takes
 *   `pg_try_advisory_xact_lock`; whoever gets it seals, the others skip. A
 *   dead instance's lock goes with its connection, so another instance's next
 *   round (within `intervalMs`) takes over; there is nothing to hand over.
 * - The watermark is the oldest running transaction (`pg_snapshot_xmin` of the
 *   round's snapshot). A row is sealed only if its `xid` is below it: every
 *   transaction below has ended, so no row can still appear there, and rows
 *   are taken in (xid, id) order. Sealed positions therefore never need to
 *   move, and no committed event is skipped (no gap) or sealed twice
 *   (`seq IS NULL` in the UPDATE, a unique `seq`, and the lock).
 * - Writers wait for none of this: the window between an acknowledged write
 *   and its seal is one round plus the longest write transaction then running.
 */
export function createAuditSealer(options: AuditSealerOptions): AuditSealer {
  const { database } = options;
  const batchSize = options.batchSize ?? 5_000;
  const intervalMs = options.intervalMs ?? 200;
  const catchUpTimeoutMs = options.catchUpTimeoutMs ?? 15_000;
  let closed = false;
  let cached: SealedHead | null = null;
  let running: Promise<number> | null = null;
  let again = false;
  let scheduled = false;

  async function round(): Promise<number> {
    return database.transaction(async (transaction) => {
      const [lock] = await transaction.query("SELECT pg_try_advisory_xact_lock($1) AS locked", [SEAL_LOCK]);
      if (!lock?.locked) return -1;
      const [head] = await transaction.query("SELECT seq, hash FROM audit_head WHERE id");
      if (head === undefined) throw new Error("audit_head is missing: run migrate()");
      const size = Number(head.seq);
      const link = size === 0 ? null : { seq: size, hash: String(head.hash) };
      const sealed: SealedHead =
        cached && cached.head?.seq === link?.seq && cached.head?.hash === link?.hash
          ? cached
          : { head: link, frontier: await readFrontier(transaction, size) };
      const rows = await transaction.query(
        `SELECT id, event_id, type, pause_id, agent_id, actor, at, data FROM audit_events
          WHERE seq IS NULL AND xid < pg_snapshot_xmin(pg_current_snapshot())
          ORDER BY xid, id LIMIT $1`,
        [batchSize],
      );
      if (rows.length === 0) {
        cached = sealed;
        return 0;
      }
      const result = sealAuditEvents(
        sealed,
        rows.map((row) => ({ eventId: String(row.event_id), input: rowToInput(row) })),
      );
      const updated = await transaction.query(
        `UPDATE audit_events AS e SET seq = u.seq, prev_hash = u.prev_hash, hash = u.hash
          FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[]) AS u(id, seq, prev_hash, hash)
          WHERE e.id = u.id AND e.seq IS NULL RETURNING e.id`,
        [
          rows.map((row) => row.id),
          result.events.map((event) => event.seq),
          result.events.map((event) => event.prev_hash),
          result.events.map((event) => event.hash),
        ],
      );
      if (updated.length !== rows.length) throw new Error("audit events changed while being sealed");
      await insertAuditNodes(transaction, result.nodes);
      const last = result.events.at(-1)!;
      await transaction.query(
        "UPDATE audit_head SET seq = $1, hash = $2, sealed_by = $3, sealed_at = clock_timestamp() WHERE id",
        [last.seq, last.hash, options.instance],
      );
      cached = result.sealed;
      return rows.length;
    });
  }

  function sealOnce(): Promise<number> {
    if (closed) return Promise.resolve(0);
    // One round at a time in this process; callers meanwhile share it.
    running ??= round()
      .catch((error: unknown) => {
        cached = null; // the transaction rolled back: the cache may be ahead of the database
        throw error;
      })
      .finally(() => {
        running = null;
      });
    return running;
  }

  async function drain(): Promise<void> {
    scheduled = false;
    try {
      for (;;) {
        again = false;
        const sealed = await sealOnce();
        // A full batch means more is waiting. Writes that came in during the round wait a few ms, so
        // that under load one round seals many events instead of each commit paying for a round.
        if (sealed === batchSize) continue;
        if (again) {
          await delay(COALESCE_MS);
          continue;
        }
        // A woken round that found another sealer retries shortly.
        if (sealed === -1 && !closed) {
          await delay(5);
          if ((await sealOnce()) !== -1) continue;
        }
        return;
      }
    } catch {
      // Postgres unreachable or a failed round: the timer tries again.
    }
  }

  // The timer seals what other instances wrote and did not seal (or a dead instance left); an idle
  // deployment pays one indexed EXISTS per tick, not a transaction.
  const timer = setInterval(() => {
    if (scheduled || running) return;
    database
      .query("SELECT EXISTS (SELECT 1 FROM audit_events WHERE seq IS NULL) AS pending")
      .then(([row]) => {
        if (row?.pending && !scheduled) void drain();
      })
      .catch(() => {
        // Postgres unreachable: the next tick tries again.
      });
  }, intervalMs);
  timer.unref?.();

  return {
    wake() {
      if (closed) return;
      if (running) again = true;
      if (scheduled) return;
      scheduled = true;
      setImmediate(() => void drain());
    },
    sealOnce,
    async catchUp() {
      const [state] = await database.query(
        `SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS target,
          EXISTS (SELECT 1 FROM audit_events WHERE seq IS NULL) AS pending`,
      );
      if (!state?.pending) return;
      // The limit is on a stall, not on the work: a big backlog keeps sealing as long as rounds progress.
      let deadline = Date.now() + catchUpTimeoutMs;
      for (;;) {
        const sealed = await sealOnce();
        if (sealed > 0) deadline = Date.now() + catchUpTimeoutMs;
        const [left] = await database.query(
          "SELECT EXISTS (SELECT 1 FROM audit_events WHERE seq IS NULL AND xid < $1::xid8) AS left",
          [state.target],
        );
        if (!left?.left) return;
        if (Date.now() > deadline) {
          throw new CountersignError(
            "store_unavailable",
            "Audit events are waiting to be sealed behind a long-running transaction; try again later",
          );
        }
        if (sealed <= 0) await delay(sealed === -1 ? 2 : 5);
      }
    },
    async close() {
      closed = true;
      clearInterval(timer);
      await running?.catch(() => {});
    },
  };
}

function rowToInput(row: Record<string, unknown>): AuditInput {
  return {
    type: String(row.type) as AuditInput["type"],
    pauseId: row.pause_id === null ? null : String(row.pause_id),
    agentId: row.agent_id === null ? null : String(row.agent_id),
    actor: parseJson(row.actor) as AuditInput["actor"],
    at: String(row.at),
    data: parseJson(row.data) as AuditInput["data"],
  };
}

function parseJson(value: unknown): unknown {
  return typeof value === "string" ? JSON.parse(value) : value;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
