import type { Store } from "@countersign/core/server";
import type { OptionTable } from "../cli/cli-command.ts";
import { databaseUrlFrom, dataDirFrom, openStore } from "../open-store.ts";

/** The `--data-dir` / `--database-url` / `--init` options every store command takes. */
export const STORE_OPTIONS = {
  "data-dir": {
    type: "string",
    value: "DIR",
    description: "the SQLite store's directory (default .countersign, or COUNTERSIGN_DATA_DIR)",
  },
  "database-url": {
    type: "string",
    value: "URL",
    description: "a Postgres store instead (or COUNTERSIGN_DATABASE_URL)",
  },
  init: {
    type: "boolean",
    description: "create the store if there is none (otherwise a missing store is an error)",
  },
} as const satisfies OptionTable;

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
