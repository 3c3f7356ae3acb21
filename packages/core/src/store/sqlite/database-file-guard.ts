import { statSync } from "node:fs";
import { CountersignError } from "../../errors/countersign-error.ts";

/**
 * Notices when the database file is deleted or replaced under an open
 * connection. SQLite keeps writing to the old inode, so without this check
 * opens, decisions and claims would "succeed" into a file nobody will ever
 * open again. `remember()` after opening; `check()` before every write.
 */
export function databaseFileGuard(path: string) {
  const inMemory = path === ":memory:" || path === "";
  let opened: { dev: number; ino: number } | null = null;
  return {
    remember(): void {
      if (inMemory) return;
      const stat = statSync(path);
      opened = { dev: stat.dev, ino: stat.ino };
    },
    check(): void {
      if (inMemory || opened === null) return;
      let stat: { dev: number; ino: number } | undefined;
      try {
        stat = statSync(path);
      } catch {
        stat = undefined;
      }
      if (!stat || stat.dev !== opened.dev || stat.ino !== opened.ino) {
        throw new CountersignError(
          "store_unavailable",
          `The SQLite database file ${path} was ${stat ? "replaced" : "deleted"} while the server ran; restart it on the right file`,
        );
      }
    },
  };
}
