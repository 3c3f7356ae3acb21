import { createHash } from "node:crypto";
import type { Pool, PoolClient } from "pg";
import { isRetryableError, isUnavailableError, storeClosedError, toStoreError } from "./postgres-errors.ts";

export type Row = Record<string, unknown>;

/** A pause this transaction changed, and its version after the change (for de-duplicating wake-ups). */
export interface PauseChange {
  pauseId: string;
  version: number;
}

/** The statements of one transaction. */
export interface Transaction {
  query(sql: string, values?: readonly unknown[]): Promise<Row[]>;
  /** Records that a pause changed; the caller tells local listeners once the transaction commits. */
  changed(change: PauseChange): void;
  /** Records that this transaction wrote audit events, so the sealer is woken after COMMIT. */
  appendedAudit(): void;
}

export interface Database {
  /** One statement on its own (autocommit). */
  query(sql: string, values?: readonly unknown[]): Promise<Row[]>;
  /**
   * Runs `work` in `BEGIN ISOLATION LEVEL READ COMMITTED … COMMIT` on one
   * connection, rolling back if it throws. A deadlock or serialization failure
   * runs `work` again (it must only depend on what it reads). `onCommit`
   * receives the pauses `work` reported as changed, and whether it wrote audit events, after COMMIT.
   */
  transaction<T>(work: (transaction: Transaction) => Promise<T>): Promise<T>;
  /**
   * A write that fits in one statement (data-modifying CTEs), run on its own:
   * atomic as every statement is, and one round trip where BEGIN … COMMIT
   * takes four. Its statement is prepared once per connection. `written` reads from its rows which pauses it changed and
   * whether it wrote audit events; they are announced as a transaction's are.
   */
  write(sql: string, values: readonly unknown[], written: (rows: Row[]) => Written): Promise<Row[]>;
  /** A connection of its own (LISTEN); release it with `release(error)` when it broke. */
  connect(): Promise<PoolClient>;
  readonly closed: boolean;
  close(): Promise<void>;
}

/** What one `write` statement did, for the announcements after it commits. */
export interface Written {
  changes: PauseChange[];
  appendedAudit: boolean;
}

const MAX_ATTEMPTS = 3;

const statementNames = new Map<string, string>();

/**
 * `write` statements are the hot path (a pause create) and come in a handful
 * of shapes: each is prepared once per connection under a name derived from
 * its text, so later runs send only the values, and Postgres neither parses
 * nor plans them again.
 */
function statementName(sql: string): string {
  let name = statementNames.get(sql);
  if (name === undefined) {
    name = `countersign_${createHash("sha256").update(sql).digest("hex").slice(0, 24)}`;
    statementNames.set(sql, name);
  }
  return name;
}

/**
 * Wraps a pool so every failure surfaces as a `CountersignError`
 * (`store_unavailable` when Postgres cannot be reached) and a connection that
 * broke mid-transaction is destroyed, not reused.
 */
export function createDatabase(
  pool: Pool,
  options: { ownsPool: boolean; onCommit: (changes: PauseChange[], appendedAudit: boolean) => void },
): Database {
  let closed = false;
  // An idle pooled connection that Postgres drops (restart, failover) is reported here;
  // without a listener node-postgres would crash the process. The next query reconnects.
  const onIdleError = () => {};
  pool.on("error", onIdleError);

  async function transaction<T>(work: (transaction: Transaction) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      if (closed) throw storeClosedError();
      let client: PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        throw toStoreError(error);
      }
      let broken: unknown = null;
      const onError = (error: unknown) => {
        broken = error;
      };
      client.on("error", onError);
      const changes: PauseChange[] = [];
      let appendedAudit = false;
      const scope: Transaction = {
        query: async (sql, values) => (await client.query(sql, values as unknown[] | undefined)).rows,
        changed: (change) => {
          changes.push(change);
        },
        appendedAudit: () => {
          appendedAudit = true;
        },
      };
      try {
        await client.query("BEGIN ISOLATION LEVEL READ COMMITTED");
        const result = await work(scope);
        await client.query("COMMIT");
        client.off("error", onError);
        client.release();
        if (changes.length > 0 || appendedAudit) options.onCommit(changes, appendedAudit);
        return result;
      } catch (error) {
        if (broken === null && !isUnavailableError(error)) {
          try {
            await client.query("ROLLBACK");
          } catch (rollbackError) {
            broken = rollbackError;
          }
        } else {
          broken ??= error;
        }
        client.off("error", onError);
        // A broken connection is closed, never handed to the next caller.
        client.release(broken === null ? undefined : toError(broken));
        if (isRetryableError(error) && attempt < MAX_ATTEMPTS) continue;
        throw toStoreError(error);
      }
    }
  }

  return {
    async query(sql, values) {
      if (closed) throw storeClosedError();
      try {
        return (await pool.query(sql, values as unknown[] | undefined)).rows;
      } catch (error) {
        throw toStoreError(error);
      }
    },
    transaction,
    async write(sql, values, written) {
      if (closed) throw storeClosedError();
      for (let attempt = 1; ; attempt++) {
        let rows: Row[];
        try {
          rows = (await pool.query({ name: statementName(sql), text: sql, values: values as unknown[] }))
            .rows;
        } catch (error) {
          if (isRetryableError(error) && attempt < MAX_ATTEMPTS) continue;
          throw toStoreError(error);
        }
        const { changes, appendedAudit } = written(rows);
        if (changes.length > 0 || appendedAudit) options.onCommit(changes, appendedAudit);
        return rows;
      }
    },
    async connect() {
      if (closed) throw storeClosedError();
      try {
        return await pool.connect();
      } catch (error) {
        throw toStoreError(error);
      }
    },
    get closed() {
      return closed;
    },
    async close() {
      if (closed) return;
      closed = true;
      if (options.ownsPool) {
        // Connections keep closing after end() resolves; the listener stays so their errors cannot crash the process.
        await pool.end();
      } else {
        pool.off("error", onIdleError);
      }
    },
  };
}

function toError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}
