import type { Store } from "@countersign/core/server";
import { databaseUrlFrom, dataDirFrom, openStore } from "../open-store.ts";

/** The `--data-dir` / `--database-url` / `--init` options every store command takes. */
export const STORE_OPTIONS = {
  "data-dir": { type: "string" },
  "database-url": { type: "string" },
  init: { type: "boolean" },
} as const;

/** Opens an existing store; refuses a directory without one unless `--init` says to create it. */
export async function openStoreFrom(values: {
  "data-dir"?: string | undefined;
  "database-url"?: string | undefined;
  init?: boolean | undefined;
}): Promise<Store> {
  const { store } = await openStore({
    dataDir: dataDirFrom(values["data-dir"]),
    databaseUrl: databaseUrlFrom(values["database-url"]),
    create: values.init ? "init" : "never",
  });
  return store;
}
