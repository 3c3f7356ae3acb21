import type { Store } from "@countersign/core/server";
import type { CachedTable, ConfigCache } from "./config-cache.ts";
import type { Database } from "./database.ts";
import { findApiKeyByHash } from "./operations/api-key-operations.ts";
import { listDelegations } from "./operations/delegation-operations.ts";
import { listGrants } from "./operations/grant-operations.ts";
import { listPushSubscriptions } from "./operations/push-subscription-operations.ts";
import { listWebhookEndpoints } from "./operations/webhook-endpoint-operations.ts";

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
 * succeeded or not (a write whose reply was lost may still have committed):
 * this process's cache forgets the table at once, the others' on NOTIFY.
 */
export function announceWrites(store: Store, announce: (table: CachedTable) => void): Store {
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

type CachedReads = Pick<
  Store,
  "findApiKeyByHash" | "listDelegations" | "listGrants" | "listPushSubscriptions" | "listWebhookEndpoints"
>;

/**
 * The store's reads of small, rarely written tables, served from the
 * config cache. Each answers exactly what its query would: the cache holds
 * the unrevoked rows, and the time and person filters of the query are
 * applied to them here, on every call, with the caller's clock.
 */
export function cachedReads(database: Database, cache: ConfigCache, listen: () => void): CachedReads {
  function read<T>(table: CachedTable, key: string, load: () => Promise<T>, keep?: (value: T) => boolean) {
    // Another instance's writes are heard on the LISTEN connection; it starts with the first cached read.
    listen();
    return cache.read(table, key, load, keep);
  }

  return {
    findApiKeyByHash: (hash) =>
      read(
        "api_keys",
        hash,
        () => findApiKeyByHash(database, hash),
        (key) => key !== null,
      ),

    async listDelegations(query) {
      if (query.activeAt === undefined) return listDelegations(database, query);
      const at = Date.parse(query.activeAt);
      const involving = query.involving?.toLowerCase();
      const unrevoked = await read("delegations", "unrevoked", () =>
        listDelegations(database, { unrevokedOnly: true }),
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
      if (query.activeAt === undefined) return listGrants(database, query);
      const at = Date.parse(query.activeAt);
      const unrevoked = await read("grants", "unrevoked", () =>
        listGrants(database, { unrevokedOnly: true }),
      );
      return unrevoked.filter((grant) => Date.parse(grant.expiresAt) > at);
    },

    async listPushSubscriptions(identity) {
      const all = await read("push_subscriptions", "all", () => listPushSubscriptions(database));
      if (identity === undefined) return all;
      const wanted = identity.trim().toLowerCase();
      return all.filter((subscription) => subscription.identity.toLowerCase() === wanted);
    },

    listWebhookEndpoints: (query) =>
      read("webhook_endpoints", query?.enabledOnly ? "enabled" : "all", () =>
        listWebhookEndpoints(database, query),
      ),
  };
}
