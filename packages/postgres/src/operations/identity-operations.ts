import type { IdentityRecord } from "@countersign/core/server";
import type { Database } from "../database.ts";
import { IDENTITY_COLUMNS, rowToIdentity } from "../row-mapping.ts";
import { canonicalTimestamp } from "../timestamps.ts";

/** Inserts or replaces; a replacement keeps the first `createdAt`. */
export async function putIdentity(database: Database, record: IdentityRecord): Promise<void> {
  await database.query(
    `INSERT INTO identities (${IDENTITY_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6::text[], $7::timestamptz, $8::timestamptz)
      ON CONFLICT (identity) DO UPDATE SET email = excluded.email, slack_user_id = excluded.slack_user_id,
        teams_user_id = excluded.teams_user_id, display_name = excluded.display_name, groups = excluded.groups, updated_at = excluded.updated_at`,
    [
      record.identity,
      record.email,
      record.slackUserId,
      record.teamsUserId ?? null,
      record.displayName,
      record.groups,
      canonicalTimestamp(record.createdAt),
      canonicalTimestamp(record.updatedAt),
    ],
  );
}

export async function getIdentity(database: Database, identity: string): Promise<IdentityRecord | null> {
  const [row] = await database.query(`SELECT ${IDENTITY_COLUMNS} FROM identities WHERE identity = $1`, [
    identity,
  ]);
  return row === undefined ? null : rowToIdentity(row);
}

export async function findIdentityBySlackUser(
  database: Database,
  slackUserId: string,
): Promise<IdentityRecord | null> {
  const [row] = await database.query(`SELECT ${IDENTITY_COLUMNS} FROM identities WHERE slack_user_id = $1`, [
    slackUserId,
  ]);
  return row === undefined ? null : rowToIdentity(row);
}

export async function findIdentityByTeamsUser(
  database: Database,
  teamsUserId: string,
): Promise<IdentityRecord | null> {
  const [row] = await database.query(`SELECT ${IDENTITY_COLUMNS} FROM identities WHERE teams_user_id = $1`, [
    teamsUserId,
  ]);
  return row === undefined ? null : rowToIdentity(row);
}

export async function listIdentities(database: Database): Promise<IdentityRecord[]> {
  const rows = await database.query(`SELECT ${IDENTITY_COLUMNS} FROM identities ORDER BY identity`);
  return rows.map(rowToIdentity);
}

export async function deleteIdentity(database: Database, identity: string): Promise<boolean> {
  const rows = await database.query("DELETE FROM identities WHERE identity = $1 RETURNING identity", [
    identity,
  ]);
  return rows.length === 1;
}
