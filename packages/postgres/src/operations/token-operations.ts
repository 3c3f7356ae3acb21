import type { Database } from "../database.ts";
import { canonicalTimestamp } from "../timestamps.ts";

/** The primary key makes the first INSERT the only one that counts. Expired entries are purged on the way. */
export async function consumeToken(database: Database, tokenId: string, expiresAt: string): Promise<boolean> {
  const expires = canonicalTimestamp(expiresAt);
  return database.transaction(async (transaction) => {
    await transaction.query("DELETE FROM used_tokens WHERE expires_at < $1::timestamptz", [
      new Date().toISOString(),
    ]);
    const inserted = await transaction.query(
      `INSERT INTO used_tokens (token_id, expires_at) VALUES ($1, $2::timestamptz)
        ON CONFLICT (token_id) DO NOTHING RETURNING token_id`,
      [tokenId, expires],
    );
    return inserted.length === 1;
  });
}
