import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { type Store, sqliteStore } from "@countersign/core/server";
import { postgresStore } from "@countersign/postgres";
import { UsageError } from "./usage-error.ts";

export const DEFAULT_DATA_DIR = ".countersign";

export interface StoreLocation {
  dataDir: string;
  /** `postgres://…`: several servers share this database instead of a SQLite file. */
  databaseUrl?: string | undefined;
}

export function dataDirFrom(flag: string | undefined): string {
  return resolve(flag ?? process.env.COUNTERSIGN_DATA_DIR ?? DEFAULT_DATA_DIR);
}

/** `--database-url`, else `COUNTERSIGN_DATABASE_URL`; undefined (SQLite) when neither is set. */
export function databaseUrlFrom(flag: string | undefined): string | undefined {
  const url = flag ?? process.env.COUNTERSIGN_DATABASE_URL;
  if (url === undefined || url === "") return undefined;
  if (!/^postgres(ql)?:\/\//.test(url)) {
    throw new UsageError("--database-url must be a postgres:// or postgresql:// URL");
  }
  return url;
}

/**
 * Postgres when a database URL is given (migrated on open; safe when several
 * servers start at once), else the embedded default: one SQLite file in the
 * data directory (created if missing).
 */
export async function openStore(location: StoreLocation): Promise<{ store: Store; describe: string }> {
  if (location.databaseUrl !== undefined) {
    const store = postgresStore(location.databaseUrl);
    try {
      await store.migrate();
    } catch (error) {
      await store.close();
      throw error;
    }
    return { store, describe: `Postgres ${withoutPassword(location.databaseUrl)}` };
  }
  mkdirSync(location.dataDir, { recursive: true, mode: 0o700 });
  const file = join(location.dataDir, "countersign.db");
  const store = sqliteStore(file);
  await store.migrate();
  return { store, describe: `SQLite ${file}` };
}

function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparseable URL)";
  }
}
