import type { ApiKeyRecord } from "@countersign/core/server";
import type { Database } from "../database.ts";
import { API_KEY_COLUMNS, apiKeyValues, placeholders, rowToApiKey } from "../row-mapping.ts";
import { canonicalTimestamp } from "../timestamps.ts";

export async function insertApiKey(database: Database, key: ApiKeyRecord): Promise<void> {
  await database.query(
    `INSERT INTO api_keys (${API_KEY_COLUMNS}) VALUES (${placeholders(7)})`,
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

/** Keeps the first revocation time when a key is revoked twice. */
export async function revokeApiKey(database: Database, keyId: string, at: string): Promise<boolean> {
  const rows = await database.query(
    "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $2::timestamptz) WHERE key_id = $1 RETURNING key_id",
    [keyId, canonicalTimestamp(at)],
  );
  return rows.length === 1;
}
