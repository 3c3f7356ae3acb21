import { CountersignError } from "../../errors/countersign-error.ts";

// Primary result codes that mean the database file cannot be used right now
// (https://sqlite.org/rescode.html). Extended codes carry the primary code in their low byte.
const UNAVAILABLE_RESULT_CODES = new Set([
  5, // SQLITE_BUSY: locked by another writer past the busy timeout
  6, // SQLITE_LOCKED
  7, // SQLITE_NOMEM
  8, // SQLITE_READONLY
  10, // SQLITE_IOERR
  11, // SQLITE_CORRUPT
  13, // SQLITE_FULL
  14, // SQLITE_CANTOPEN
  15, // SQLITE_PROTOCOL
  26, // SQLITE_NOTADB
]);

/** Whether `error` says the database cannot be used (closed, missing, locked, broken), as opposed to a bug. */
export function isUnavailableError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { code, errcode } = error as Error & { code?: unknown; errcode?: unknown };
  if (code === "ERR_INVALID_STATE") return true; // the database or a statement was closed
  return (
    code === "ERR_SQLITE_ERROR" && typeof errcode === "number" && UNAVAILABLE_RESULT_CODES.has(errcode & 0xff)
  );
}

/** Whether `error` is SQLITE_BUSY or SQLITE_LOCKED: another connection holds the lock right now. */
export function isLockedError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { code, errcode } = error as Error & { code?: unknown; errcode?: unknown };
  return code === "ERR_SQLITE_ERROR" && typeof errcode === "number" && [5, 6].includes(errcode & 0xff);
}

/** Maps a database failure to `store_unavailable`; passes every other error through unchanged. */
export function toStoreError(error: unknown): unknown {
  if (error instanceof CountersignError || !isUnavailableError(error)) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new CountersignError("store_unavailable", `The SQLite store is unavailable: ${detail}`, {
    cause: error,
  });
}

export function storeClosedError(): CountersignError {
  return new CountersignError("store_unavailable", "The SQLite store is closed.");
}
