import { existsSync, type FSWatcher, watch } from "node:fs";
import { basename, dirname } from "node:path";

/**
 * Counts how many times the filesystem server wrote a file: it creates a new
 * file in place, and replaces an existing one through `<name>.<random>.tmp`
 * and a rename, so every write after the first leaves its own temp name.
 * Start it before the writes, and write nothing else to that file meanwhile.
 */
export function watchWrites(file: string): { count(): Promise<number>; close(): void } {
  const name = basename(file);
  const existed = existsSync(file);
  const temps = new Set<string>();
  let created = false;
  const watcher: FSWatcher = watch(dirname(file), (_event, changed) => {
    if (!changed) return;
    if (changed === name) created = true;
    else if (changed.startsWith(`${name}.`) && changed.endsWith(".tmp")) temps.add(changed);
  });
  return {
    async count() {
      // inotify events arrive asynchronously; let the last ones land.
      await new Promise((resolve) => setTimeout(resolve, 250));
      return temps.size + (!existed && created ? 1 : 0);
    },
    close: () => watcher.close(),
  };
}
