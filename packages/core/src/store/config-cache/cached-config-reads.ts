import type {
  ApiKeyRecord,
  DelegationRecord,
  GrantRecord,
  PushSubscriptionRecord,
  WebhookEndpointRecord,
} from "../records.ts";
import type { Store } from "../store.ts";
import type { CachedTable, ConfigCache } from "./config-cache.ts";

/** The store methods that write each cached table. */
const WRITERS = {
  api_keys: ["createApiKey", "revokeApiKey", "updateApiKeyBinding"],
  delegations: ["createDelegation", "revokeDelegation"],
  grants: ["createGrant", "revokeGrant", "decideWithGrant"],
  push_subscriptions: ["putPushSubscription", "deletePushSubscription"],
  webhook_endpoints: ["createWebhookEndpoint", "updateWebhookEndpoint", "deleteWebhookEndpoint"],
} as const satisfies Record<CachedTable, readonly (keyof Store)[]>;

export const CACHED_TABLES = Object.keys(WRITERS) as CachedTable[];

/**
 * Makes each write to a cached table announce itself when it is done,
 * succeeded or not (a write whose reply was lost may still have committed),
 * so this process's cache forgets the table at once.
 */
export function announceConfigWrites(store: Store, announce: (table: CachedTable) => void): Store {
  const announcing: Record<string, unknown> = { ...store };
  for (const table of CACHED_TABLES) {
    for (const method of WRITERS[table]) {
      const write = store[method] as (...args: unknown[]) => Promise<unknown>;
      announcing[method] = async (...args: unknown[]) => {
        try {
          return await write(...args);
        } finally {
          announce(table);
        }
      };
    }
  }
  return announcing as unknown as Store;
}

/** A store's own queries of the cached tables; `unrevokedOnly` fills the cache. */
export interface ConfigQueries {
  findApiKeyByHash(hash: string): Promise<ApiKeyRecord | null>;
  listDelegations(query: {
    activeAt?: string;
    involving?: string;
    unrevokedOnly?: boolean;
  }): Promise<DelegationRecord[]>;
  listGrants(query: { activeAt?: string; unrevokedOnly?: boolean }): Promise<GrantRecord[]>;
  listPushSubscriptions(identity?: string): Promise<PushSubscriptionRecord[]>;
  listWebhookEndpoints(query?: { enabledOnly?: boolean }): Promise<WebhookEndpointRecord[]>;
}

export type CachedConfigReads = Pick<
  Store,
  "findApiKeyByHash" | "listDelegations" | "listGrants" | "listPushSubscriptions" | "listWebhookEndpoints"
>;

/**
 * The store's reads of small, rarely written tables, served from the
 * config cache. Each answers exactly what its query would: the cache holds
 * the unrevoked rows, and the time and person filters of the query are
 * applied to them here, on every call, with the caller's clock.
 * `beforeRead` runs first on every cached read: the store's chance to
 * notice another process's writes (Postgres listens; SQLite asks the file).
 */
export function cachedConfigReads(
  queries: ConfigQueries,
  cache: ConfigCache,
  beforeRead: () => void = () => {},
): CachedConfigReads {
  function read<T>(table: CachedTable, key: string, load: () => Promise<T>, keep?: (value: T) => boolean) {
    beforeRead();
    return cache.read(table, key, load, keep);
  }

  return {
    findApiKeyByHash: (hash) =>
      read(
        "api_keys",
        hash,
        () => queries.findApiKeyByHash(hash),
        (key) => key !== null,
      ),

    async listDelegations(query) {
      if (query.activeAt === undefined) return queries.listDelegations(query);
      const at = Date.parse(query.activeAt);
      const involving = query.involving?.toLowerCase();
      const unrevoked = await read("delegations", "unrevoked", () =>
        queries.listDelegations({ unrevokedOnly: true }),
      );
      return unrevoked.filter(
        (delegation) =>
          Date.parse(delegation.startsAt) <= at &&
          Date.parse(delegation.endsAt) > at &&
          (involving === undefined ||
            delegation.from.toLowerCase() === involving ||
            delegation.to.toLowerCase() === involving),
      );
    },

    async listGrants(query) {
      if (query.activeAt === undefined) return queries.listGrants(query);
      const at = Date.parse(query.activeAt);
      const unrevoked = await read("grants", "unrevoked", () => queries.listGrants({ unrevokedOnly: true }));
      return unrevoked.filter((grant) => Date.parse(grant.expiresAt) > at);
    },

    async listPushSubscriptions(identity) {
      const all = await read("push_subscriptions", "all", () => queries.listPushSubscriptions());
      if (identity === undefined) return all;
      const wanted = identity.trim().toLowerCase();
      return all.filter((subscription) => subscription.identity.toLowerCase() === wanted);
    },

    listWebhookEndpoints: (query) =>
      read("webhook_endpoints", query?.enabledOnly ? "enabled" : "all", () =>
        queries.listWebhookEndpoints(query),
      ),
  };
}
