import type { WebSessionRecord } from "../records.ts";
import type { SqliteConnection } from "./sqlite-connection.ts";
import { canonicalTimestamp, canonicalTimestampOrNull } from "./timestamps.ts";

const COLUMNS = "session_hash, identity, via, key_hash, created_at, expires_at, ended_at";

/** Inserts a session, purging sessions that expired a day ago or more on the way. */
export function createWebSession(connection: SqliteConnection, session: WebSessionRecord): void {
  connection.transaction(() => {
    const dayAgo = new Date(Date.parse(session.createdAt) - 86_400_000).toISOString();
    connection.statement("DELETE FROM web_sessions WHERE expires_at < ?").run(dayAgo);
    connection
      .statement(`INSERT INTO web_sessions (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)`)
      .run(
        session.sessionHash,
        session.identity,
        session.via,
        session.keyHash,
        canonicalTimestamp(session.createdAt),
        canonicalTimestamp(session.expiresAt),
        canonicalTimestampOrNull(session.endedAt),
      );
  });
}

export function getWebSession(connection: SqliteConnection, sessionHash: string): WebSessionRecord | null {
  const row = connection
    .statement(`SELECT ${COLUMNS} FROM web_sessions WHERE session_hash = ?`)
    .get(sessionHash);
  if (row === undefined) return null;
  return {
    sessionHash: String(row.session_hash),
    identity: String(row.identity),
    via: String(row.via) as WebSessionRecord["via"],
    keyHash: row.key_hash === null ? null : String(row.key_hash),
    createdAt: String(row.created_at),
    expiresAt: String(row.expires_at),
    endedAt: row.ended_at === null ? null : String(row.ended_at),
  };
}

export function endWebSession(connection: SqliteConnection, sessionHash: string, at: string): boolean {
  const { changes } = connection
    .statement("UPDATE web_sessions SET ended_at = COALESCE(ended_at, ?) WHERE session_hash = ?")
    .run(canonicalTimestamp(at), sessionHash);
  return Number(changes) === 1;
}
