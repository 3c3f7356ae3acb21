import type { Database } from "../database.ts";
import { canonicalTimestamp } from "../timestamps.ts";

/**
 * Takes or renews a named lease in one statement: a concurrent taker waits
 * for the row, and READ COMMITTED re-checks the condition against the winner's row.
 */
export async function acquireLease(
  database: Database,
  name: string,
  holder: string,
  now: string,
  leaseMs: number,
): Promise<boolean> {
  const rows = await database.query(
    `INSERT INTO leases (name, holder, until_time) VALUES ($1, $2, $3::timestamptz + make_interval(secs => $4 / 1000.0))
      ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until_time = excluded.until_time
      WHERE leases.holder = excluded.holder OR leases.until_time <= $3::timestamptz
      RETURNING holder`,
    [name, holder, canonicalTimestamp(now), leaseMs],
  );
  return rows.length > 0;
}
