import {
  announceConfigWrites,
  CACHED_TABLES,
  cachedConfigReads,
  createConfigCache,
} from "../config-cache/index.ts";
import type { Store } from "../store.ts";
import {
  findApiKeyByHash,
  insertApiKey,
  listApiKeys,
  listApiKeysByIdentity,
  revokeApiKey,
  updateApiKeyBinding,
} from "./api-key-operations.ts";
import { addApproval, listApprovals } from "./approval-operations.ts";
import { appendAuditEvents, auditHead, auditTreeNodes, listAuditEvents } from "./audit-operations.ts";
import { databaseFileGuard } from "./database-file-guard.ts";
import {
  insertDelegation,
  listDelegations,
  revokeDelegation,
  selectDelegation,
} from "./delegation-operations.ts";
import {
  countPendingDeliveries,
  leaseDueDeliveries,
  listDeliveries,
  listDeliveryAttempts,
  recordDeliveryAttempt,
  redeliver,
  selectDelivery,
} from "./delivery-operations.ts";
import { addFollowUp, finishFollowUp, leaseDueFollowUps, listFollowUps } from "./follow-up-operations.ts";
import { decideWithGrant, insertGrant, listGrants, revokeGrant, selectGrant } from "./grant-operations.ts";
import {
  deleteIdentity,
  findIdentityBySlackUser,
  findIdentityByTeamsUser,
  getIdentity,
  listIdentities,
  putIdentity,
} from "./identity-operations.ts";
import { acquireLease } from "./lease-operations.ts";
import { runMigrations } from "./migrations.ts";
import {
  claimDueEscalations,
  claimPause,
  createPause,
  decidePause,
  listExpiredPauses,
  listPauses,
  recordExecution,
  selectPause,
  updateRouting,
} from "./pause-operations.ts";
import {
  deletePushSubscription,
  listPushSubscriptions,
  putPushSubscription,
} from "./push-subscription-operations.ts";
import { getSetting, putSetting, putSettingIfAbsent } from "./setting-operations.ts";
import { openSqliteConnection, type SqliteConnection } from "./sqlite-connection.ts";
import { isLockedError, storeClosedError, toStoreError } from "./sqlite-errors.ts";
import { consumeToken } from "./token-operations.ts";
import { createWebSession, endWebSession, getWebSession } from "./web-session-operations.ts";
import {
  deleteWebhookEndpoint,
  insertWebhookEndpoint,
  listWebhookEndpoints,
  selectWebhookEndpoint,
  updateWebhookEndpoint,
} from "./webhook-endpoint-operations.ts";
import { createWriteBatcher } from "./write-batcher.ts";

export interface SqliteStoreOptions {
  /** How long a write waits for another process holding the lock. Default 5000. */
  busyTimeoutMs?: number;
  /**
   * How long, in ms, a read of the small config tables (API keys,
   * delegations, grants, webhook endpoints, push subscriptions) may be
   * served from memory. Default 1000; 0 turns the cache off. Writes through
   * this store, and other processes' writes to the file (seen through
   * `PRAGMA data_version`, looked at once per event-loop turn), drop it at once.
   */
  configCacheMs?: number;
}

/** The longest SQLite itself blocks the event loop waiting for a lock; the batcher waits out the rest. */
const STATEMENT_BUSY_TIMEOUT_MS = 25;

/**
 * The embedded store: one SQLite file through `node:sqlite`, in WAL mode with
 * `synchronous = FULL`. Writes are group-committed (one transaction and one
 * fsync per turn of the event loop, each write in its own savepoint) and
 * resolve after `COMMIT`, so an acknowledged write is on disk. Several
 * processes may open the same file; `BEGIN IMMEDIATE` serialises their writes.
 * The file is opened on first use (created owner-only); call `migrate()` before
 * anything else. A database file deleted or replaced while open fails every
 * later write with `store_unavailable` instead of writing into the void.
 */
export function sqliteStore(path: string, options: SqliteStoreOptions = {}): Store {
  const busyTimeoutMs = options.busyTimeoutMs ?? 5_000;
  let connection: SqliteConnection | null = null;
  let closed = false;
  const listeners = new Set<(pauseId: string) => void>();
  const file = databaseFileGuard(path);

  function connect(): SqliteConnection {
    if (closed) throw storeClosedError();
    if (!connection) {
      connection = openSqliteConnection(path, {
        busyTimeoutMs: Math.min(busyTimeoutMs, STATEMENT_BUSY_TIMEOUT_MS),
      });
      file.remember();
    }
    return connection;
  }
  function connectForWrite(): SqliteConnection {
    const opened = connect();
    file.check();
    return opened;
  }
  const batcher = createWriteBatcher({
    connect: connectForWrite,
    toError: toStoreError,
    isLocked: isLockedError,
    lockTimeoutMs: busyTimeoutMs,
  });

  /** Reads run at once: they see every write already acknowledged. */
  function use<T>(work: (connection: SqliteConnection) => T): Promise<T> {
    try {
      return Promise.resolve(work(connect()));
    } catch (error) {
      return Promise.reject(toStoreError(error));
    }
  }

  /** Writes are group-committed: see write-batcher.ts. */
  function write<T>(work: (connection: SqliteConnection) => T): Promise<T> {
    if (closed) return Promise.reject(storeClosedError());
    return batcher.write(work);
  }

  // After COMMIT: a listener that reads the pause sees the change.
  function notify(pauseId: string): void {
    batcher.afterCommit(() => {
      for (const listener of [...listeners]) {
        try {
          listener(pauseId);
        } catch {
          // A failing listener must not turn a committed write into a rejection.
        }
      }
    });
  }

  const cache = createConfigCache({ lifetimeMs: options.configCacheMs ?? 1_000 });
  // Another process (`countersign keys revoke`, a second server) committed to the file since the
  // last look: forget everything. Looked at once per turn of the event loop: the pragma costs
  // about what the query it saves does, and reads in one turn are concurrent anyway.
  let seenVersion: unknown = null;
  let lookedThisTurn = false;
  const noticeOtherWriters = () => {
    if (connection === null || lookedThisTurn) return;
    lookedThisTurn = true;
    setImmediate(() => {
      lookedThisTurn = false;
    });
    const version = connection.statement("PRAGMA data_version").get()?.data_version;
    if (version !== seenVersion) for (const table of CACHED_TABLES) cache.invalidate(table);
    seenVersion = version;
  };
  const reads = cachedConfigReads(
    {
      findApiKeyByHash: (hash) => use((db) => findApiKeyByHash(db, hash)),
      listDelegations: (query) => use((db) => listDelegations(db, query)),
      listGrants: (query) => use((db) => listGrants(db, query)),
      listPushSubscriptions: (identity) => use((db) => listPushSubscriptions(db, identity)),
      listWebhookEndpoints: (query) => use((db) => listWebhookEndpoints(db, query)),
    },
    cache,
    noticeOtherWriters,
  );

  const store: Store = {
    migrate: () => write((db) => runMigrations(db)),
    ping: () =>
      use((db) => {
        db.statement("SELECT 1").get();
      }),
    probeWrite: (at) =>
      write((db) => {
        db.statement(
          "INSERT INTO readiness_probe (id, at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET at = excluded.at",
        ).run(at);
      }),
    close: () => {
      closed = true;
      listeners.clear();
      connection?.close();
      connection = null;
      return Promise.resolve();
    },

    createPause: (pause, createOptions) =>
      write((db) => {
        const result = createPause(db, pause, createOptions);
        if (result.created) notify(result.pause.pauseId);
        return result;
      }),
    getPause: (pauseId) => use((db) => selectPause(db, pauseId)),
    listPauses: (query) => use((db) => listPauses(db, query)),
    decide: (pauseId, update, effects) =>
      write((db) => {
        const result = decidePause(db, pauseId, update, effects);
        if (result?.ok) notify(pauseId);
        return result;
      }),
    claim: (pauseId, at, audit, claimedBy) =>
      write((db) => {
        const result = claimPause(db, pauseId, at, audit, claimedBy ?? null);
        if (result?.ok) notify(pauseId);
        return result;
      }),
    recordExecution: (pauseId, execution, effects) =>
      write((db) => {
        const result = recordExecution(db, pauseId, execution, effects);
        if (result?.ok) notify(pauseId);
        return result;
      }),
    updateRouting: (pauseId, routing, audit) =>
      write((db) => {
        const result = updateRouting(db, pauseId, routing, audit);
        if (result?.updated) notify(pauseId);
        return result === null ? null : result.pause;
      }),
    listExpired: (now, limit) => use((db) => listExpiredPauses(db, now, limit)),
    claimDueEscalations: (now, limit) => write((db) => claimDueEscalations(db, now, limit)),
    subscribe: (listener) => {
      // Each subscription is its own entry, so subscribing one function twice needs two unsubscribes.
      const entry = (pauseId: string) => listener(pauseId);
      listeners.add(entry);
      return () => {
        listeners.delete(entry);
      };
    },

    createApiKey: (key) => write((db) => insertApiKey(db, key)),
    findApiKeyByHash: reads.findApiKeyByHash,
    listApiKeys: () => use((db) => listApiKeys(db)),
    listApiKeysByIdentity: (identity) => use((db) => listApiKeysByIdentity(db, identity)),
    revokeApiKey: (keyId, at) => write((db) => revokeApiKey(db, keyId, at)),
    updateApiKeyBinding: (keyId, binding) => write((db) => updateApiKeyBinding(db, keyId, binding)),

    createWebSession: (session) => write((db) => createWebSession(db, session)),
    getWebSession: (sessionHash) => use((db) => getWebSession(db, sessionHash)),
    endWebSession: (sessionHash, at) => write((db) => endWebSession(db, sessionHash, at)),

    putPushSubscription: (subscription) => write((db) => putPushSubscription(db, subscription)),
    listPushSubscriptions: reads.listPushSubscriptions,
    deletePushSubscription: (endpoint, identity) =>
      write((db) => deletePushSubscription(db, endpoint, identity)),

    leaseDueDeliveries: (now, limit, leaseMs) => write((db) => leaseDueDeliveries(db, now, limit, leaseMs)),
    recordDeliveryAttempt: (attempt, next, audit) =>
      write((db) => recordDeliveryAttempt(db, attempt, next, audit)),
    getDelivery: (deliveryId) => use((db) => selectDelivery(db, deliveryId)),
    listDeliveries: (pauseId) => use((db) => listDeliveries(db, pauseId)),
    listDeliveryAttempts: (deliveryId) => use((db) => listDeliveryAttempts(db, deliveryId)),
    countPendingDeliveries: () => use((db) => countPendingDeliveries(db)),
    redeliver: (deliveryId, now, audit) => write((db) => redeliver(db, deliveryId, now, audit)),

    addFollowUp: (followUp) => write((db) => addFollowUp(db, followUp)),
    leaseDueFollowUps: (channel, now, limit, leaseMs) =>
      write((db) => leaseDueFollowUps(db, channel, now, limit, leaseMs)),
    finishFollowUp: (followUpId, outcome) => write((db) => finishFollowUp(db, followUpId, outcome)),
    listFollowUps: (pauseId) => use((db) => listFollowUps(db, pauseId)),

    appendAudit: (input) => write((db) => db.transaction(() => appendAuditEvents(db, [input])[0]!)),
    listAudit: (query) => use((db) => listAuditEvents(db, query)),
    auditTreeNodes: (ids) => use((db) => auditTreeNodes(db, ids)),
    acquireLease: (name, holder, now, leaseMs) => write((db) => acquireLease(db, name, holder, now, leaseMs)),

    getSetting: (name) => use((db) => getSetting(db, name)),
    putSettingIfAbsent: (name, value) => write((db) => putSettingIfAbsent(db, name, value)),
    putSetting: (name, value) => write((db) => putSetting(db, name, value)),

    addApproval: (vote, audit, guard) =>
      write((db) => {
        const result = addApproval(db, vote, audit, guard);
        if (result?.outcome === "added") notify(vote.pauseId);
        return result;
      }),
    listApprovals: (pauseId) => use((db) => listApprovals(db, pauseId)),

    putIdentity: (identity) => write((db) => putIdentity(db, identity)),
    getIdentity: (identity) => use((db) => getIdentity(db, identity)),
    findIdentityBySlackUser: (slackUserId) => use((db) => findIdentityBySlackUser(db, slackUserId)),
    findIdentityByTeamsUser: (teamsUserId) => use((db) => findIdentityByTeamsUser(db, teamsUserId)),
    listIdentities: () => use((db) => listIdentities(db)),
    deleteIdentity: (identity) => write((db) => deleteIdentity(db, identity)),

    consumeToken: (tokenId, expiresAt) => write((db) => consumeToken(db, tokenId, expiresAt)),
    auditHead: () => use((db) => auditHead(db)),

    createGrant: (grant, audit) => write((db) => insertGrant(db, grant, audit)),
    getGrant: (grantId) => use((db) => selectGrant(db, grantId)),
    listGrants: reads.listGrants,
    revokeGrant: (grantId, at, by, audit) => write((db) => revokeGrant(db, grantId, at, by, audit)),
    createDelegation: (delegation, audit) => write((db) => insertDelegation(db, delegation, audit)),
    getDelegation: (delegationId) => use((db) => selectDelegation(db, delegationId)),
    listDelegations: reads.listDelegations,
    revokeDelegation: (delegationId, at, by, audit) =>
      write((db) => revokeDelegation(db, delegationId, at, by, audit)),
    decideWithGrant: (pauseId, grantUse, update, effects) =>
      write((db) => {
        const result = decideWithGrant(db, pauseId, grantUse, update, effects);
        if (result?.outcome === "decided") notify(pauseId);
        return result;
      }),

    createWebhookEndpoint: (endpoint, audit) => write((db) => insertWebhookEndpoint(db, endpoint, audit)),
    getWebhookEndpoint: (endpointId) => use((db) => selectWebhookEndpoint(db, endpointId)),
    listWebhookEndpoints: reads.listWebhookEndpoints,
    updateWebhookEndpoint: (endpointId, changes, audit) =>
      write((db) => updateWebhookEndpoint(db, endpointId, changes, audit)),
    deleteWebhookEndpoint: (endpointId, audit) => write((db) => deleteWebhookEndpoint(db, endpointId, audit)),
  };
  return announceConfigWrites(store, (table) => cache.invalidate(table));
}
