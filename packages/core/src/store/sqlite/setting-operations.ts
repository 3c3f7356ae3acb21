import type { SqliteConnection } from "./sqlite-connection.ts";

export function getSetting(connection: SqliteConnection, name: string): string | null {
  const row = connection.statement("SELECT value FROM settings WHERE name = ?").get(name);
  return row === undefined ? null : String(row.value);
}

/** First writer wins: a later caller gets the stored value back, not its own. */
export function putSettingIfAbsent(connection: SqliteConnection, name: string, value: string): string {
  return connection.transaction(() => {
    connection
      .statement("INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING")
      .run(name, value);
    return getSetting(connection, name)!;
  });
}

export function putSetting(connection: SqliteConnection, name: string, value: string): void {
  connection
    .statement(
      "INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
    )
    .run(name, value);
}
