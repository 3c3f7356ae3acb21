import type { ApiKeyBinding, ApiKeyRecord } from "@countersign/core/server";
import type { Database } from "../database.ts";
import { API_KEY_COLUMNS, apiKeyValues, placeholders, rowToApiKey } from "../row-mapping.ts";
import { canonicalTimestamp } from "../timestamps.ts";

export async function insertApiKey(database: Database, key: ApiKeyRecord): Promise<void> {
  await database.query(
    `INSERT INTO api_keys (${API_KEY_COLUMNS}) VALUES (${placeholders(9)})`,
    apiKeyValues(key),
  );
}

export async function findApiKeyByHash(database: Database, hash: string): Promise<ApiKeyRecord | null> {
  const [row] = await database.query(`SELECT ${API_KEY_COLUMNS} FROM api_keys WHERE hash = $1`, [hash]);
  return row === undefined ? null : rowToApiKey(row);
}

export async function listApiKeys(database: Database): Promise<ApiKeyRecord[]> {
  const rows = await database.query(`SELECT ${API_KEY_COLUMNS} FROM api_keys ORDER BY created_at, key_id`);
  return rows.map(rowToApiKey);
}

export async function listApiKeysByIdentity(database: Database, identity: string): Promise<ApiKeyRecord[]> {
  const rows = await database.query(
    `SELECT ${API_KEY_COLUMNS} FROM api_keys WHERE lower(identity) = lower($1) ORDER BY created_at, key_id`,
    [identity.trim()],
  );
  return rows.map(rowToApiKey);
}

export async function updateApiKeyBinding(
  database: Database,
  keyId: string,
  binding: ApiKeyBinding,
): Promise<boolean> {
  const rows = await database.query(
    `UPDATE api_keys SET identity = $2, agent_ids = $3, action_types = $4
      WHERE key_id = $1 AND revoked_at IS NULL RETURNING key_id`,
    [keyId, binding.identity, binding.agentIds, binding.actionTypes],
  );
  return rows.length === 1;
}

/** Keeps the first revocation time when a key is revoked twice. */
export async function revokeApiKey(database: Database, keyId: string, at: string): Promise<boolean> {
  const rows = await database.query(
    "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $2::timestamptz) WHERE key_id = $1 RETURNING key_id",
    [keyId, canonicalTimestamp(at)],
  );
  return rows.length === 1;
}
