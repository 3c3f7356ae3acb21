import { CountersignError } from "@countersign/core";

/**
 * Timestamps go to Postgres as `Date#toISOString()` text into `timestamptz`
 * columns and come back as `Date`s, rendered the same way: a caller reads back
 * exactly what the SQLite store would give it.
 */
export function canonicalTimestamp(value: string): string {
  const milliseconds = Date.parse(value);
  if (Number.isNaN(milliseconds)) {
    throw new CountersignError("invalid_request", `"${value}" is not an ISO 8601 timestamp.`);
  }
  return new Date(milliseconds).toISOString();
}

export function canonicalTimestampOrNull(value: string | null): string | null {
  return value === null ? null : canonicalTimestamp(value);
}

export function addMilliseconds(timestamp: string, milliseconds: number): string {
  return new Date(Date.parse(timestamp) + milliseconds).toISOString();
}

/** A `timestamptz` value as node-postgres returns it (a `Date`), as ISO text. */
export function fromTimestamp(value: unknown): string {
  return value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString();
}

export function fromTimestampOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : fromTimestamp(value);
}
