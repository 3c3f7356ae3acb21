import type { IdentityRecord } from "../records.ts";
import type { SqliteConnection } from "./sqlite-connection.ts";

const COLUMNS = "identity, email, slack_user_id, teams_user_id, display_name, groups, created_at, updated_at";

export function putIdentity(connection: SqliteConnection, record: IdentityRecord): void {
  connection
    .statement(
      `INSERT INTO identities (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (identity) DO UPDATE SET email = excluded.email, slack_user_id = excluded.slack_user_id,
         teams_user_id = excluded.teams_user_id, display_name = excluded.display_name, groups = excluded.groups, updated_at = excluded.updated_at`,
    )
    .run(
      record.identity,
      record.email,
      record.slackUserId,
      record.teamsUserId ?? null,
      record.displayName,
      JSON.stringify(record.groups),
      record.createdAt,
      record.updatedAt,
    );
}

export function getIdentity(connection: SqliteConnection, identity: string): IdentityRecord | null {
  const row = connection.statement(`SELECT ${COLUMNS} FROM identities WHERE identity = ?`).get(identity);
  return row === undefined ? null : rowToIdentity(row);
}

export function findIdentityBySlackUser(
  connection: SqliteConnection,
  slackUserId: string,
): IdentityRecord | null {
  const row = connection
    .statement(`SELECT ${COLUMNS} FROM identities WHERE slack_user_id = ?`)
    .get(slackUserId);
  return row === undefined ? null : rowToIdentity(row);
}

export function findIdentityByTeamsUser(
  connection: SqliteConnection,
  teamsUserId: string,
): IdentityRecord | null {
  const row = connection
    .statement(`SELECT ${COLUMNS} FROM identities WHERE teams_user_id = ?`)
    .get(teamsUserId);
  return row === undefined ? null : rowToIdentity(row);
}

export function listIdentities(connection: SqliteConnection): IdentityRecord[] {
  return connection.statement(`SELECT ${COLUMNS} FROM identities ORDER BY identity`).all().map(rowToIdentity);
}

export function deleteIdentity(connection: SqliteConnection, identity: string): boolean {
  return (
    Number(connection.statement("DELETE FROM identities WHERE identity = ?").run(identity).changes) === 1
  );
}

function rowToIdentity(row: Record<string, unknown>): IdentityRecord {
  return {
    identity: String(row.identity),
    email: row.email === null ? null : String(row.email),
    slackUserId: row.slack_user_id === null ? null : String(row.slack_user_id),
    teamsUserId: row.teams_user_id === null ? null : String(row.teams_user_id),
    displayName: row.display_name === null ? null : String(row.display_name),
    groups: JSON.parse(String(row.groups)) as string[],
    createdAt: String(row.created_at),
    updatedAt: String(row.updated_at),
  };
}
