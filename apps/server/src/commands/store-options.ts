import type { Store } from "@countersign/core/server";
import { databaseUrlFrom, dataDirFrom, openStore } from "../open-store.ts";

/** The `--data-dir` / `--database-url` options every store command takes. */
export const STORE_OPTIONS = {
  "data-dir": { type: "string" },
  "database-url": { type: "string" },
} as const;

export async function openStoreFrom(values: {
  "data-dir"?: string | undefined;
  "database-url"?: string | undefined;
}): Promise<Store> {
  const { store } = await openStore({
    dataDir: dataDirFrom(values["data-dir"]),
    databaseUrl: databaseUrlFrom(values["database-url"]),
  });
  return store;
}
