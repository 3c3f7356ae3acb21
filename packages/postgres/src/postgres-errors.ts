import { CountersignError } from "@countersign/core";

// SQLSTATE codes (https://www.postgresql.org/docs/current/errcodes-appendix.html) that mean
// "the database cannot serve this now", as opposed to a bad query or bad input.
const UNAVAILABLE_SQLSTATES = new Set([
  "57P01", // admin_shutdown: the server is stopping or restarting
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now: starting up or in recovery
  "57P04", // database_dropped
  "57014", // query_canceled (statement_timeout)
  "53300", // too_many_connections
  "25006", // read_only_sql_transaction: connected to a standby after a failover
  "3D000", // invalid_catalog_name: the database does not exist
  "28000", // invalid_authorization_specification
  "28P01", // invalid_password
  "55P03", // lock_not_available (lock_timeout)
]);
// Whole classes: connection exception, insufficient resources, system error.
const UNAVAILABLE_CLASSES = new Set(["08", "53", "58"]);

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
]);

// node-postgres reports a lost or unusable connection with plain Errors and no code.
const CLIENT_MESSAGES =
  /connection terminated|not queryable|pool after calling end|timeout exceeded when trying to connect|connection timeout|query read timeout/i;

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/** Whether `error` says Postgres cannot be reached or used right now. */
export function isUnavailableError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error instanceof AggregateError && error.errors.some(isUnavailableError)) return true;
  const code = codeOf(error);
  if (code !== undefined) {
    if (NETWORK_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code)) return true;
    if (code.length === 5 && UNAVAILABLE_CLASSES.has(code.slice(0, 2))) return true;
  }
  return CLIENT_MESSAGES.test(error.message);
}

/** Serialization failures and deadlocks: the transaction did nothing and may simply run again. */
export function isRetryableError(error: unknown): boolean {
  const code = codeOf(error);
  return code === "40001" || code === "40P01";
}

/**
 * Maps a database failure to a `CountersignError`: unavailable → `store_unavailable`,
 * bad data (SQLSTATE class 22, e.g. a NUL character in text) → `invalid_request`.
 * Everything else (a bug) passes through unchanged.
 */
export function toStoreError(error: unknown): unknown {
  if (error instanceof CountersignError) return error;
  if (isUnavailableError(error)) {
    const detail = error instanceof Error && error.message !== "" ? error.message : String(codeOf(error));
    return new CountersignError("store_unavailable", `The Postgres store is unavailable: ${detail}`, {
      cause: error,
    });
  }
  const code = codeOf(error);
  if (code?.startsWith("22") && code.length === 5) {
    const detail = error instanceof Error ? error.message : code;
    return new CountersignError("invalid_request", `The database refused a value: ${detail}`, {
      cause: error,
    });
  }
  return error;
}

export function storeClosedError(): CountersignError {
  return new CountersignError("store_unavailable", "The Postgres store is closed.");
}
