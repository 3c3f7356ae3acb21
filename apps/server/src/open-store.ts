import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { type Store, sqliteStore } from "@countersign/core/server";

export const DEFAULT_DATA_DIR = ".countersign";

export interface StoreLocation {
  dataDir: string;
}

export function dataDirFrom(flag: string | undefined): string {
  return resolve(flag ?? process.env.COUNTERSIGN_DATA_DIR ?? DEFAULT_DATA_DIR);
}

/** The embedded default: one SQLite file in the data directory (created if missing). */
export async function openStore(location: StoreLocation): Promise<{ store: Store; describe: string }> {
  mkdirSync(location.dataDir, { recursive: true, mode: 0o700 });
  const file = join(location.dataDir, "countersign.db");
  const store = sqliteStore(file);
  await store.migrate();
  return { store, describe: `SQLite ${file}` };
}
