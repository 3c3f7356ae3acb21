/** The small, rarely written tables that nearly every request reads. */
export type CachedTable = "api_keys" | "delegations" | "grants" | "push_subscriptions" | "webhook_endpoints";

export interface ConfigCache {
  /**
   * `load()`'s result, shared for up to the cache's lifetime by every caller
   * asking for the same `table` and `key`; concurrent callers share one load.
   * `keep` says whether a result may be kept (an unknown API key is not: a
   * key created a moment later must work at once).
   */
  read<T>(table: CachedTable, key: string, load: () => Promise<T>, keep?: (value: T) => boolean): Promise<T>;
  /** Forgets everything read from `table` (this process wrote it, or another instance said it did). */
  invalidate(table: CachedTable): void;
}

interface Entry {
  value: Promise<unknown>;
  until: number;
}

/**
 * Read-through copies of the tables every pause open reads (the caller's
 * key, active delegations and grants, webhook endpoints, push
 * subscriptions), so a create does not read them again each time: one
 * round trip to Postgres instead of six, and no SQLite query for them.
 *
 * Kept for `lifetimeMs` at most, and dropped sooner: at once when this
 * process writes the table, and when another process does as soon as the
 * store hears of it (Postgres: that instance's NOTIFY, see the postgres
 * package's change-feed.ts; SQLite: `PRAGMA data_version`). The lifetime
 * bounds how long a change whose notice was lost (a writer that died right
 * after COMMIT, a LISTEN connection that was down) can go unseen: a revoked
 * key stops working within `lifetimeMs` in the worst case. A load that
 * overlaps an invalidation is used by its own callers but not kept, so a
 * read that began before a revocation committed can never outlive it.
 * `lifetimeMs: 0` turns the cache off.
 */
export function createConfigCache(options: { lifetimeMs: number; now?: () => number }): ConfigCache {
  const now = options.now ?? Date.now;
  const tables = new Map<CachedTable, Map<string, Entry>>();
  const generations = new Map<CachedTable, number>();

  return {
    read<T>(
      table: CachedTable,
      key: string,
      load: () => Promise<T>,
      keep: (value: T) => boolean = () => true,
    ): Promise<T> {
      if (options.lifetimeMs <= 0) return load();
      let entries = tables.get(table);
      if (entries === undefined) {
        entries = new Map();
        tables.set(table, entries);
      }
      const cached = entries.get(key);
      // Each caller gets its own copy: one that edits a record must not edit everybody's.
      if (cached !== undefined && cached.until > now())
        return (cached.value as Promise<T>).then((value) => structuredClone(value) as T);
      const generation = generations.get(table) ?? 0;
      const loaded = load();
      const entry: Entry = { value: loaded, until: now() + options.lifetimeMs };
      entries.set(key, entry);
      const forget = () => {
        if (tables.get(table)?.get(key) === entry) tables.get(table)!.delete(key);
      };
      loaded.then((value) => {
        if (!keep(value) || (generations.get(table) ?? 0) !== generation) forget();
      }, forget);
      return loaded.then((value) => structuredClone(value) as T);
    },
    invalidate(table) {
      generations.set(table, (generations.get(table) ?? 0) + 1);
      tables.delete(table);
    },
  };
}
