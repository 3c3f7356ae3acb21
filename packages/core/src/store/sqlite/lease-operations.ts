import type { SqliteConnection } from "./sqlite-connection.ts";

/**
 * Takes or renews a named lease in one statement: the write lock makes it a
 * compare-and-set across every process on the file.
 */
export function acquireLease(
  connection: SqliteConnection,
  name: string,
  holder: string,
  now: string,
  leaseMs: number,
): boolean {
  const nowMs = Date.parse(now);
  const row = connection
    .statement(
      `INSERT INTO leases (name, holder, until_ms) VALUES (?, ?, ?)
        ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until_ms = excluded.until_ms
        WHERE leases.holder = excluded.holder OR leases.until_ms <= ?
        RETURNING holder`,
    )
    .get(name, holder, nowMs + leaseMs, nowMs);
  return row !== undefined;
}
