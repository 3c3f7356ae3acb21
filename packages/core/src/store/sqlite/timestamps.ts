import { CountersignError } from "../../errors/countersign-error.ts";

/**
 * Timestamps are stored as `Date#toISOString()` text (UTC, milliseconds), so
 * comparing and ordering the text is comparing the instants.
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
