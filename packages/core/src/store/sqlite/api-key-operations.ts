import type { ApiKeyBinding, ApiKeyRecord } from "../records.ts";
import { API_KEY_COLUMNS, apiKeyToParameters, insertSql, rowToApiKey } from "./row-mapping.ts";
import type { SqliteConnection } from "./sqlite-connection.ts";
import { canonicalTimestamp } from "./timestamps.ts";

export function insertApiKey(connection: SqliteConnection, key: ApiKeyRecord): void {
  connection.statement(insertSql("api_keys", API_KEY_COLUMNS)).run(apiKeyToParameters(key));
}

export function findApiKeyByHash(connection: SqliteConnection, hash: string): ApiKeyRecord | null {
  const row = connection.statement(`SELECT ${API_KEY_COLUMNS} FROM api_keys WHERE hash = ?`).get(hash);
  return row === undefined ? null : rowToApiKey(row);
}

export function listApiKeys(connection: SqliteConnection): ApiKeyRecord[] {
  return connection
    .statement(`SELECT ${API_KEY_COLUMNS} FROM api_keys ORDER BY created_at, key_id`)
    .all()
    .map(rowToApiKey);
}

export function listApiKeysByIdentity(connection: SqliteConnection, identity: string): ApiKeyRecord[] {
  return connection
    .statement(
      `SELECT ${API_KEY_COLUMNS} FROM api_keys WHERE lower(identity) = lower(?) ORDER BY created_at, key_id`,
    )
    .all(identity.trim())
    .map(rowToApiKey);
}

export function updateApiKeyBinding(
  connection: SqliteConnection,
  keyId: string,
  binding: ApiKeyBinding,
): boolean {
  const { changes } = connection
    .statement(
      `UPDATE api_keys SET identity = ?, agent_ids = ?, action_types = ?
       WHERE key_id = ? AND revoked_at IS NULL`,
    )
    .run(
      binding.identity,
      binding.agentIds === null ? null : JSON.stringify(binding.agentIds),
      binding.actionTypes === null ? null : JSON.stringify(binding.actionTypes),
      keyId,
    );
  return Number(changes) === 1;
}

/** Keeps the first revocation time when a key is revoked twice. */
export function revokeApiKey(connection: SqliteConnection, keyId: string, at: string): boolean {
  const { changes } = connection
    .statement("UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE key_id = ?")
    .run(canonicalTimestamp(at), keyId);
  return Number(changes) === 1;
}
