import type { WebSessionRecord } from "@countersign/core/server";
import type { Database } from "../database.ts";
import {
  canonicalTimestamp,
  canonicalTimestampOrNull,
  fromTimestamp,
  fromTimestampOrNull,
} from "../timestamps.ts";

const COLUMNS = "session_hash, identity, via, key_hash, created_at, expires_at, ended_at";

/** Inserts a session, purging sessions that expired a day ago or more on the way. */
export async function createWebSession(database: Database, session: WebSessionRecord): Promise<void> {
  const dayAgo = new Date(Date.parse(session.createdAt) - 86_400_000).toISOString();
  await database.transaction(async (transaction) => {
    await transaction.query("DELETE FROM web_sessions WHERE expires_at < $1::timestamptz", [dayAgo]);
    await transaction.query(
      `INSERT INTO web_sessions (${COLUMNS}) VALUES ($1, $2, $3, $4, $5::timestamptz, $6::timestamptz, $7::timestamptz)`,
      [
        session.sessionHash,
        session.identity,
        session.via,
        session.keyHash,
        canonicalTimestamp(session.createdAt),
        canonicalTimestamp(session.expiresAt),
        canonicalTimestampOrNull(session.endedAt),
      ],
    );
  });
}

export async function getWebSession(
  database: Database,
  sessionHash: string,
): Promise<WebSessionRecord | null> {
  const [row] = await database.query(`SELECT ${COLUMNS} FROM web_sessions WHERE session_hash = $1`, [
    sessionHash,
  ]);
  if (row === undefined) return null;
  return {
    sessionHash: String(row.session_hash),
    identity: String(row.identity),
    via: String(row.via) as WebSessionRecord["via"],
    keyHash: row.key_hash === null ? null : String(row.key_hash),
    createdAt: fromTimestamp(row.created_at),
    expiresAt: fromTimestamp(row.expires_at),
    endedAt: fromTimestampOrNull(row.ended_at),
  };
}

export async function endWebSession(database: Database, sessionHash: string, at: string): Promise<boolean> {
  const rows = await database.query(
    `UPDATE web_sessions SET ended_at = COALESCE(ended_at, $2::timestamptz)
      WHERE session_hash = $1 RETURNING session_hash`,
    [sessionHash, canonicalTimestamp(at)],
  );
  return rows.length === 1;
}
