import { closeSync, existsSync, openSync } from "node:fs";
import { DatabaseSync, type StatementSync } from "node:sqlite";

export interface SqliteConnectionOptions {
  /**
   * How long one statement waits inside SQLite for another connection's lock.
   * Keep it short: SQLite waits synchronously, blocking the event loop; the
   * write batcher waits out longer locks with timers.
   */
  busyTimeoutMs: number;
}

/** One open database file, with cached statements and synchronous transactions. */
export interface SqliteConnection {
  /** A prepared statement for `sql`, prepared once per connection. */
  statement(sql: string): StatementSync;
  /** Runs one or more statements without caching them (schema changes). */
  exec(sql: string): void;
  /**
   * Runs `work` inside `BEGIN IMMEDIATE … COMMIT`, rolling back if it throws;
   * inside a running transaction, as a savepoint that rolls back alone.
   * `work` is synchronous on purpose: nothing else can run on this connection
   * mid-transaction, and the write lock is held from the first statement, so
   * another process cannot slip a write in between a read and the write that depends on it.
   */
  transaction<T>(work: () => T): T;
  close(): void;
}

let savepoints = 0;

function savepoint<T>(database: DatabaseSync, work: () => T): T {
  const name = `operation_${++savepoints}`;
  database.exec(`SAVEPOINT ${name}`);
  try {
    const result = work();
    database.exec(`RELEASE ${name}`);
    return result;
  } catch (error) {
    if (database.isOpen && database.isTransaction) {
      database.exec(`ROLLBACK TO ${name}`);
      database.exec(`RELEASE ${name}`);
    }
    throw error;
  }
}

function createOwnerOnly(path: string): void {
  try {
    closeSync(openSync(path, "a", 0o600));
  } catch {
    // SQLite's own open fails next with the error callers know (SQLITE_CANTOPEN).
  }
}

export function openSqliteConnection(path: string, options: SqliteConnectionOptions): SqliteConnection {
  // Created owner-only: it holds keys' hashes, secrets and the audit log. SQLite gives
  // its -wal and -shm files the same permissions as the database file.
  if (path !== ":memory:" && path !== "" && !existsSync(path)) createOwnerOnly(path);
  const database = new DatabaseSync(path);
  try {
    database.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs))}`);
    database.exec("PRAGMA journal_mode = WAL");
    // FULL: a commit is on disk before the method resolves, even across a power loss.
    database.exec("PRAGMA synchronous = FULL");
    database.exec("PRAGMA foreign_keys = ON");
  } catch (error) {
    database.close();
    throw error;
  }

  const statements = new Map<string, StatementSync>();

  return {
    statement(sql) {
      let prepared = statements.get(sql);
      if (prepared === undefined) {
        prepared = database.prepare(sql);
        statements.set(sql, prepared);
      }
      return prepared;
    },
    exec(sql) {
      database.exec(sql);
    },
    transaction(work) {
      // Inside a transaction (a batch of operations), nest with a savepoint: a failing
      // operation rolls back alone and the batch goes on.
      if (database.isTransaction) return savepoint(database, work);
      database.exec("BEGIN IMMEDIATE");
      try {
        const result = work();
        database.exec("COMMIT");
        return result;
      } catch (error) {
        if (database.isOpen && database.isTransaction) {
          try {
            database.exec("ROLLBACK");
          } catch {
            // The original error says more than a failed rollback; SQLite rolls back on close anyway.
          }
        }
        throw error;
      }
    },
    close() {
      statements.clear();
      if (database.isOpen) database.close();
    },
  };
}
