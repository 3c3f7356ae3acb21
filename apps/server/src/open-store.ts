import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { type Store, sqliteStore } from "@countersign/core/server";
import { UsageError } from "./usage-error.ts";

export const DEFAULT_DATA_DIR = ".countersign";
const DATABASE_FILE = "countersign.db";
/** Written beside the database: it remembers that a store lived here, and which one. */
const MARKER_FILE = "store.json";
const STORE_ID_SETTING = "store_id";

export interface StoreLocation {
  dataDir: string;
  /** `postgres://…`: several servers share this database instead of a SQLite file. */
  databaseUrl?: string | undefined;
  /**
   * What to do when there is no store: `if-new` creates one in a directory
   * that never had one (the server's first start); `never` refuses (commands
   * that read a store); `init` creates one even where a store was lost.
   */
  create?: "if-new" | "never" | "init";
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
 * data directory, which is owner-only (0700, files 0600). A directory whose
 * store was deleted or replaced is refused rather than silently given a new,
 * empty store with new keys (which no earlier proof or API key would match).
 */
export async function openStore(location: StoreLocation): Promise<{ store: Store; describe: string }> {
  if (location.databaseUrl !== undefined) {
    // Loaded only for Postgres: the driver stays out of every SQLite command's start.
    const { postgresStore } = await import("@countersign/postgres");
    const store = postgresStore(location.databaseUrl);
    try {
      await store.migrate();
    } catch (error) {
      await store.close();
      throw error;
    }
    return { store, describe: `Postgres ${withoutPassword(location.databaseUrl)}` };
  }
  const { dataDir } = location;
  const file = join(dataDir, DATABASE_FILE);
  const marker = readMarker(dataDir);
  checkPresence(location, file, marker);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  chmodSync(dataDir, 0o700);
  for (const path of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(path)) chmodSync(path, 0o600);
  const store = sqliteStore(file);
  try {
    await store.migrate();
    const storeId = await store.putSettingIfAbsent(STORE_ID_SETTING, `sto_${crypto.randomUUID()}`);
    if (marker && marker.store_id !== storeId && location.create !== "init") {
      throw new UsageError(
        `${file} is not the store that lived in ${dataDir} (store ${marker.store_id}; this file is ${storeId}). Put the right file back, or pass --init to adopt this one.`,
      );
    }
    if (marker?.store_id !== storeId) writeMarker(dataDir, storeId);
  } catch (error) {
    await store.close();
    throw error;
  }
  return { store, describe: `SQLite ${file}` };
}

function checkPresence(location: StoreLocation, file: string, marker: Marker | null): void {
  if (existsSync(file) || location.create === "init") return;
  if (marker) {
    throw new UsageError(
      `${location.dataDir} held a Countersign store (${marker.store_id}, created ${marker.created_at}), but ${DATABASE_FILE} is gone. Restore it from a backup; or pass --init to start a new, empty store (new keys: earlier proofs and API keys will not match it).`,
    );
  }
  if ((location.create ?? "never") === "never") {
    throw new UsageError(
      `No Countersign store in ${location.dataDir}. Start the server there first (countersign serve), point --data-dir at its store, or pass --init to create one.`,
    );
  }
}

interface Marker {
  store_id: string;
  created_at: string;
}

function readMarker(dataDir: string): Marker | null {
  try {
    const parsed = JSON.parse(readFileSync(join(dataDir, MARKER_FILE), "utf8")) as Partial<Marker>;
    return typeof parsed.store_id === "string"
      ? { store_id: parsed.store_id, created_at: String(parsed.created_at ?? "unknown") }
      : null;
  } catch {
    return null;
  }
}

function writeMarker(dataDir: string, storeId: string): void {
  const marker: Marker = { store_id: storeId, created_at: new Date().toISOString() };
  writeFileSync(join(dataDir, MARKER_FILE), `${JSON.stringify(marker, null, 2)}\n`, { mode: 0o600 });
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
