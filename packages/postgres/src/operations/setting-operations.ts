import type { Database } from "../database.ts";

export async function getSetting(database: Database, name: string): Promise<string | null> {
  const [row] = await database.query("SELECT value FROM settings WHERE name = $1", [name]);
  return row === undefined ? null : String(row.value);
}

/**
 * First writer wins: a concurrent INSERT of the same name waits for the first
 * to commit and then inserts nothing; the SELECT after it (a new snapshot) reads the winner.
 */
export async function putSettingIfAbsent(database: Database, name: string, value: string): Promise<string> {
  const [inserted] = await database.query(
    "INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING RETURNING value",
    [name, value],
  );
  if (inserted !== undefined) return String(inserted.value);
  const stored = await getSetting(database, name);
  if (stored === null) throw new Error(`setting ${name} vanished after a conflict`);
  return stored;
}

export async function putSetting(database: Database, name: string, value: string): Promise<void> {
  await database.query(
    "INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
    [name, value],
  );
}
