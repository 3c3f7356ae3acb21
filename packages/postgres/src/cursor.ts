import { CountersignError } from "@countersign/core";
import { canonicalTimestamp } from "./timestamps.ts";

/** Position after the last item of a page: the sort key (createdAt, pauseId) of that item. */
export interface PauseCursor {
  createdAt: string;
  pauseId: string;
}

export function encodePauseCursor(cursor: PauseCursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt, cursor.pauseId]), "utf8").toString("base64url");
}

export function decodePauseCursor(cursor: string): PauseCursor {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      typeof parsed[0] === "string" &&
      typeof parsed[1] === "string"
    ) {
      return { createdAt: canonicalTimestamp(parsed[0]), pauseId: parsed[1] };
    }
  } catch {
    // falls through to the error below
  }
  throw new CountersignError("invalid_request", "The cursor is not one this server issued.", {
    errors: [{ path: "cursor", message: "invalid cursor" }],
  });
}

/** A page size within 1..maximum; callers validate, this only keeps a bad value from scanning a whole table. */
export function clampLimit(limit: number, maximum: number): number {
  if (!Number.isFinite(limit)) return maximum;
  return Math.min(maximum, Math.max(1, Math.trunc(limit)));
}
