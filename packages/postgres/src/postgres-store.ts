import { randomUUID } from "node:crypto";
import {
  announceConfigWrites,
  CACHED_TABLES,
  cachedConfigReads,
  createConfigCache,
  type Store,
} from "@countersign/core/server";
import pg from "pg";
import { createAuditSealer } from "./audit-sealer.ts";
import { createChangeFeed } from "./change-feed.ts";
import { createDatabase } from "./database.ts";
import { runMigrations } from "./migrations.ts";
import {
  findApiKeyByHash,
  insertApiKey,
  listApiKeys,
  listApiKeysByIdentity,
  revokeApiKey,
  updateApiKeyBinding,
} from "./operations/api-key-operations.ts";
import { addApproval, listApprovals } from "./operations/approval-operations.ts";
import {
  appendAuditEvents,
  auditEventById,
  listAuditEvents,
  readAuditNodes,
  sealedHeadEvent,
} from "./operations/audit-operations.ts";
import {
  insertDelegation,
  listDelegations,
  revokeDelegation,
  selectDelegation,
} from "./operations/delegation-operations.ts";
import {
  countPendingDeliveries,
  leaseDueDeliveries,
  listDeliveries,
  listDeliveryAttempts,
  recordDeliveryAttempt,
  redeliver,
  selectDelivery,
} from "./operations/delivery-operations.ts";
import {
  addFollowUp,
  finishFollowUp,
  leaseDueFollowUps,
  listFollowUps,
} from "./operations/follow-up-operations.ts";
import {
  decideWithGrant,
  insertGrant,
  listGrants,
  revokeGrant,
  selectGrant,
} from "./operations/grant-operations.ts";
import {
  deleteIdentity,
  findIdentityBySlackUser,
  findIdentityByTeamsUser,
  getIdentity,
  listIdentities,
  putIdentity,
} from "./operations/identity-operations.ts";
import { acquireLease } from "./operations/lease-operations.ts";
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
} from "./operations/pause-operations.ts";
import {
  deletePushSubscription,
  listPushSubscriptions,
  putPushSubscription,
} from "./operations/push-subscription-operations.ts";
import { getSetting, putSetting, putSettingIfAbsent } from "./operations/setting-operations.ts";
import { consumeToken } from "./operations/token-operations.ts";
import { createWebSession, endWebSession, getWebSession } from "./operations/web-session-operations.ts";
import {
  deleteWebhookEndpoint,
  insertWebhookEndpoint,
  listWebhookEndpoints,
  selectWebhookEndpoint,
  updateWebhookEndpoint,
} from "./operations/webhook-endpoint-operations.ts";

export interface PostgresStoreOptions {
  /** LISTEN/NOTIFY channel shared by the instances of one deployment. Default `countersign_pause`. */
  channel?: string;
  /** How often each instance looks for changes whose notification it missed, in ms. Default 2000. */
  pollIntervalMs?: number;
  /** How far each such look reaches back before the previous one, for transactions still committing. Default 5000. */
  pollOverlapMs?: number;
  /** How often an instance looks for audit events to seal that no write of its own announced, in ms. Default 200. */
  sealIntervalMs?: number;
  /**
   * How long the keys, delegations, grants, webhook endpoints and push
   * subscriptions read on every request are kept in memory (default 1000 ms;
   * 0 turns it off). Writes through any instance drop them within
   * milliseconds (NOTIFY); this bounds how long a change whose notification
   * was lost can go unseen, a key revocation included.
   */
  configCacheMs?: number;
  /** Pool settings used when the store is given a connection string (ignored for a pool). */
  pool?: Omit<pg.PoolConfig, "connectionString">;
}

const CHANNEL_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * The `Store` for several Countersign servers on one Postgres database. Give
 * it a connection string (it creates and ends its own pool) or your own
 * `pg.Pool` (you end it). Call `migrate()` first: `createApprovalServer` does.
 *
 * Every method is one READ COMMITTED transaction; conflicts are settled by
 * Postgres itself: `UPDATE … WHERE status = 'pending'` for decisions and
 * claims, primary keys for idempotency keys, votes and tokens, `FOR UPDATE
 * SKIP LOCKED` for the webhook outbox. Audit events are written unsealed with
 * the change they record and sealed into the hash chain and Merkle tree soon
 * after by one sealer at a time (see audit-sealer.ts): no write waits for another instance's.
 * Subscribers hear changes from every instance through LISTEN/NOTIFY, with a
 * poll behind it. When Postgres cannot be reached, methods reject with
 * `CountersignError("store_unavailable")` and nothing is half-written.
 */
export function postgresStore(database: pg.Pool | string, options: PostgresStoreOptions = {}): Store {
  const channel = options.channel ?? "countersign_pause";
  if (!CHANNEL_PATTERN.test(channel)) {
    throw new TypeError(
      `channel must be a lower-case SQL identifier (a-z, 0-9, _), not ${JSON.stringify(channel)}`,
    );
  }
  const ownsPool = typeof database === "string";
  const pool =
    typeof database === "string"
      ? new pg.Pool({
          connectionTimeoutMillis: 5_000,
          idleTimeoutMillis: 30_000,
          // 20: on the bench (2 cores, 50 concurrent creates) 20 answered ~15% more creates per second than 10 or 30.
          max: 20,
          // Notices a peer that vanished without closing (a failover, a dropped NAT entry), LISTEN included.
          keepAlive: true,
          application_name: "countersign",
          ...options.pool,
          connectionString: database,
        })
      : database;
  const db = createDatabase(pool, {
    ownsPool,
    onCommit: (changes, appendedAudit) => {
      if (changes.length > 0) feed.publish(changes);
      if (appendedAudit) sealer.wake();
    },
  });
  const sealer = createAuditSealer({
    database: db,
    instance: `${process.pid}@${randomUUID().slice(0, 8)}`,
    intervalMs: options.sealIntervalMs ?? 200,
  });
  const feed = createChangeFeed({
    database: db,
    channel,
    pollIntervalMs: options.pollIntervalMs ?? 2_000,
    overlapMs: options.pollOverlapMs ?? 5_000,
  });
  const cache = createConfigCache({ lifetimeMs: options.configCacheMs ?? 1_000 });
  feed.onTableChange((table) => {
    if (table === null) for (const each of CACHED_TABLES) cache.invalidate(each);
    else if (CACHED_TABLES.includes(table)) cache.invalidate(table);
  });
  // Another instance's writes are heard on the LISTEN connection; it starts with the first cached read.
  const reads = cachedConfigReads(
    {
      findApiKeyByHash: (hash) => findApiKeyByHash(db, hash),
      listDelegations: (query) => listDelegations(db, query),
      listGrants: (query) => listGrants(db, query),
      listPushSubscriptions: (identity) => listPushSubscriptions(db, identity),
      listWebhookEndpoints: (query) => listWebhookEndpoints(db, query),
    },
    cache,
    feed.listen,
  );

  const store: Store = {
    migrate: () => runMigrations(db),
    ping: async () => {
      await db.query("SELECT 1");
    },
    probeWrite: async (at) => {
      await db.query(
        `INSERT INTO readiness_probe (id, at) VALUES (true, $1::timestamptz)
          ON CONFLICT (id) DO UPDATE SET at = excluded.at`,
        [at],
      );
    },
    close: async () => {
      if (db.closed) return;
      await sealer.close();
      await feed.close();
      await db.close();
    },

    createPause: (pause, createOptions) => createPause(db, channel, pause, createOptions),
    getPause: (pauseId) => selectPause(db, pauseId),
    listPauses: (query) => listPauses(db, query),
    decide: (pauseId, update, effects) => decidePause(db, channel, pauseId, update, effects),
    claim: (pauseId, at, audit, claimedBy) => claimPause(db, channel, pauseId, at, audit, claimedBy ?? null),
    recordExecution: (pauseId, execution, effects) =>
      recordExecution(db, channel, pauseId, execution, effects),
    updateRouting: (pauseId, routing, audit) => updateRouting(db, channel, pauseId, routing, audit),
    listExpired: (now, limit) => listExpiredPauses(db, now, limit),
    claimDueEscalations: (now, limit) => claimDueEscalations(db, now, limit),
    subscribe: (listener) => feed.subscribe(listener),

    createApiKey: (key) => insertApiKey(db, key),
    findApiKeyByHash: reads.findApiKeyByHash,
    listApiKeys: () => listApiKeys(db),
    listApiKeysByIdentity: (identity) => listApiKeysByIdentity(db, identity),
    revokeApiKey: (keyId, at) => revokeApiKey(db, keyId, at),
    updateApiKeyBinding: (keyId, binding) => updateApiKeyBinding(db, keyId, binding),

    createWebSession: (session) => createWebSession(db, session),
    getWebSession: (sessionHash) => getWebSession(db, sessionHash),
    endWebSession: (sessionHash, at) => endWebSession(db, sessionHash, at),

    putPushSubscription: (subscription) => putPushSubscription(db, subscription),
    listPushSubscriptions: reads.listPushSubscriptions,
    deletePushSubscription: (endpoint, identity) => deletePushSubscription(db, endpoint, identity),

    leaseDueDeliveries: (now, limit, leaseMs) => leaseDueDeliveries(db, now, limit, leaseMs),
    recordDeliveryAttempt: (attempt, next, audit) => recordDeliveryAttempt(db, attempt, next, audit),
    getDelivery: (deliveryId) => selectDelivery(db, deliveryId),
    listDeliveries: (pauseId) => listDeliveries(db, pauseId),
    listDeliveryAttempts: (deliveryId) => listDeliveryAttempts(db, deliveryId),
    countPendingDeliveries: () => countPendingDeliveries(db),
    redeliver: (deliveryId, now, audit) => redeliver(db, deliveryId, now, audit),

    appendAudit: async (input) => {
      const [eventId] = await db.transaction((transaction) => appendAuditEvents(transaction, [input]));
      await sealer.catchUp();
      const event = await auditEventById(db, eventId!);
      if (event === null) throw new Error(`audit event ${eventId} was not sealed`);
      return event;
    },
    listAudit: async (query) => {
      await sealer.catchUp();
      return listAuditEvents(db, query);
    },
    auditTreeNodes: async (ids) => {
      await sealer.catchUp();
      return readAuditNodes(db, ids);
    },
    acquireLease: (name, holder, now, leaseMs) => acquireLease(db, name, holder, now, leaseMs),

    addFollowUp: (followUp) => addFollowUp(db, followUp),
    leaseDueFollowUps: (channel, now, limit, leaseMs) => leaseDueFollowUps(db, channel, now, limit, leaseMs),
    finishFollowUp: (followUpId, outcome) => finishFollowUp(db, followUpId, outcome),
    listFollowUps: (pauseId) => listFollowUps(db, pauseId),

    getSetting: (name) => getSetting(db, name),
    putSettingIfAbsent: (name, value) => putSettingIfAbsent(db, name, value),
    putSetting: (name, value) => putSetting(db, name, value),

    createGrant: (grant, audit) => insertGrant(db, grant, audit),
    getGrant: (grantId) => selectGrant(db, grantId),
    listGrants: reads.listGrants,
    revokeGrant: (grantId, at, by, audit) => revokeGrant(db, grantId, at, by, audit),
    createDelegation: (delegation, audit) => insertDelegation(db, delegation, audit),
    getDelegation: (delegationId) => selectDelegation(db, delegationId),
    listDelegations: reads.listDelegations,
    revokeDelegation: (delegationId, at, by, audit) => revokeDelegation(db, delegationId, at, by, audit),
    decideWithGrant: (pauseId, use, update, effects) =>
      decideWithGrant(db, channel, pauseId, use, update, effects),

    createWebhookEndpoint: (endpoint, audit) => insertWebhookEndpoint(db, endpoint, audit),
    getWebhookEndpoint: (endpointId) => selectWebhookEndpoint(db, endpointId),
    listWebhookEndpoints: reads.listWebhookEndpoints,
    updateWebhookEndpoint: (endpointId, changes, audit) =>
      updateWebhookEndpoint(db, endpointId, changes, audit),
    deleteWebhookEndpoint: (endpointId, audit) => deleteWebhookEndpoint(db, endpointId, audit),

    addApproval: (vote, audit, guard) => addApproval(db, channel, vote, audit, guard),
    listApprovals: (pauseId) => listApprovals(db, pauseId),

    putIdentity: (identity) => putIdentity(db, identity),
    getIdentity: (identity) => getIdentity(db, identity),
    findIdentityBySlackUser: (slackUserId) => findIdentityBySlackUser(db, slackUserId),
    findIdentityByTeamsUser: (teamsUserId) => findIdentityByTeamsUser(db, teamsUserId),
    listIdentities: () => listIdentities(db),
    deleteIdentity: (identity) => deleteIdentity(db, identity),

    consumeToken: (tokenId, expiresAt) => consumeToken(db, tokenId, expiresAt),
    auditHead: async () => {
      await sealer.catchUp();
      return sealedHeadEvent(db);
    },
  };
  // This process forgets the table at once; the others hear a NOTIFY (change-feed.ts).
  return announceConfigWrites(store, feed.publishTableChange);
}
