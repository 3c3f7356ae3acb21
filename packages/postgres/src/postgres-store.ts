import type { Store } from "@countersign/core/server";
import pg from "pg";
import { createChangeFeed } from "./change-feed.ts";
import { createDatabase } from "./database.ts";
import { runMigrations } from "./migrations.ts";
import {
  findApiKeyByHash,
  insertApiKey,
  listApiKeys,
  revokeApiKey,
} from "./operations/api-key-operations.ts";
import { addApproval, listApprovals } from "./operations/approval-operations.ts";
import { appendAudit, auditHead, listAuditEvents } from "./operations/audit-operations.ts";
import {
  leaseDueDeliveries,
  listDeliveries,
  listDeliveryAttempts,
  recordDeliveryAttempt,
  redeliver,
  selectDelivery,
} from "./operations/delivery-operations.ts";
import {
  deleteIdentity,
  findIdentityBySlackUser,
  findIdentityByTeamsUser,
  getIdentity,
  listIdentities,
  putIdentity,
} from "./operations/identity-operations.ts";
import {
  claimDueEscalations,
  claimPause,
  createPause,
  decidePause,
  listExpiredPauses,
  listPauses,
  selectPause,
  updateRouting,
} from "./operations/pause-operations.ts";
import { getSetting, putSettingIfAbsent } from "./operations/setting-operations.ts";
import { consumeToken } from "./operations/token-operations.ts";

export interface PostgresStoreOptions {
  /** LISTEN/NOTIFY channel shared by the instances of one deployment. Default `countersign_pause`. */
  channel?: string;
  /** How often each instance looks for changes whose notification it missed, in ms. Default 2000. */
  pollIntervalMs?: number;
  /** How far each such look reaches back before the previous one, for transactions still committing. Default 5000. */
  pollOverlapMs?: number;
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
 * claims, primary keys for idempotency keys, votes and tokens, a row lock on
 * the audit chain head, `FOR UPDATE SKIP LOCKED` for the webhook outbox.
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
          max: 10,
          // Notices a peer that vanished without closing (a failover, a dropped NAT entry), LISTEN included.
          keepAlive: true,
          application_name: "countersign",
          ...options.pool,
          connectionString: database,
        })
      : database;
  const db = createDatabase(pool, { ownsPool, onCommit: (changes) => feed.publish(changes) });
  const feed = createChangeFeed({
    database: db,
    channel,
    pollIntervalMs: options.pollIntervalMs ?? 2_000,
    overlapMs: options.pollOverlapMs ?? 5_000,
  });

  return {
    migrate: () => runMigrations(db),
    ping: async () => {
      await db.query("SELECT 1");
    },
    close: async () => {
      if (db.closed) return;
      await feed.close();
      await db.close();
    },

    createPause: (pause, createOptions) => createPause(db, channel, pause, createOptions),
    getPause: (pauseId) => selectPause(db, pauseId),
    listPauses: (query) => listPauses(db, query),
    decide: (pauseId, update, effects) => decidePause(db, channel, pauseId, update, effects),
    claim: (pauseId, at, audit) => claimPause(db, channel, pauseId, at, audit),
    updateRouting: (pauseId, routing, audit) => updateRouting(db, channel, pauseId, routing, audit),
    listExpired: (now, limit) => listExpiredPauses(db, now, limit),
    claimDueEscalations: (now, limit) => claimDueEscalations(db, now, limit),
    subscribe: (listener) => feed.subscribe(listener),

    createApiKey: (key) => insertApiKey(db, key),
    findApiKeyByHash: (hash) => findApiKeyByHash(db, hash),
    listApiKeys: () => listApiKeys(db),
    revokeApiKey: (keyId, at) => revokeApiKey(db, keyId, at),

    leaseDueDeliveries: (now, limit, leaseMs) => leaseDueDeliveries(db, now, limit, leaseMs),
    recordDeliveryAttempt: (attempt, next, audit) => recordDeliveryAttempt(db, attempt, next, audit),
    getDelivery: (deliveryId) => selectDelivery(db, deliveryId),
    listDeliveries: (pauseId) => listDeliveries(db, pauseId),
    listDeliveryAttempts: (deliveryId) => listDeliveryAttempts(db, deliveryId),
    redeliver: (deliveryId, now, audit) => redeliver(db, deliveryId, now, audit),

    appendAudit: (input) => appendAudit(db, input),
    listAudit: (query) => listAuditEvents(db, query),

    getSetting: (name) => getSetting(db, name),
    putSettingIfAbsent: (name, value) => putSettingIfAbsent(db, name, value),

    addApproval: (vote, audit) => addApproval(db, channel, vote, audit),
    listApprovals: (pauseId) => listApprovals(db, pauseId),

    putIdentity: (identity) => putIdentity(db, identity),
    getIdentity: (identity) => getIdentity(db, identity),
    findIdentityBySlackUser: (slackUserId) => findIdentityBySlackUser(db, slackUserId),
    findIdentityByTeamsUser: (teamsUserId) => findIdentityByTeamsUser(db, teamsUserId),
    listIdentities: () => listIdentities(db),
    deleteIdentity: (identity) => deleteIdentity(db, identity),

    consumeToken: (tokenId, expiresAt) => consumeToken(db, tokenId, expiresAt),
    auditHead: () => auditHead(db),
  };
}
