import type { SqliteConnection } from "./sqlite-connection.ts";
import { canonicalTimestamp } from "./timestamps.ts";

/** The primary key makes the first INSERT the only one that counts. Expired entries are purged on the way. */
export function consumeToken(connection: SqliteConnection, tokenId: string, expiresAt: string): boolean {
  return connection.transaction(() => {
    connection.statement("DELETE FROM used_tokens WHERE expires_at < ?").run(new Date().toISOString());
    const { changes } = connection
      .statement(
        "INSERT INTO used_tokens (token_id, expires_at) VALUES (?, ?) ON CONFLICT (token_id) DO NOTHING",
      )
      .run(tokenId, canonicalTimestamp(expiresAt));
    return Number(changes) === 1;
  });
}
