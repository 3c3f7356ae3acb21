import type { CachedTable } from "@countersign/core/server";
import type { Notification, PoolClient } from "pg";
import type { Database, PauseChange } from "./database.ts";

export interface ChangeFeedOptions {
  database: Database;
  /** The LISTEN/NOTIFY channel (an SQL identifier). */
  channel: string;
  /** How often to look for changes whose notification went missing. */
  pollIntervalMs: number;
  /** How far back each look reaches before the previous one, to cover transactions still committing. */
  overlapMs: number;
  /** First reconnect delay of the LISTEN connection; doubles up to `maxReconnectDelayMs`. */
  reconnectDelayMs?: number;
  maxReconnectDelayMs?: number;
}

export interface ChangeFeed {
  subscribe(listener: (pauseId: string) => void): () => void;
  /**
   * Changes this process committed: its own listeners hear them at once, and
   * other instances through one batched `pg_notify` sent right after, outside
   * the writing transaction.
   */
  publish(changes: readonly PauseChange[]): void;
  /**
   * Hears that a cached table changed (`null`: anything may have, the LISTEN
   * connection was down), from this process at once and from others through NOTIFY.
   */
  onTableChange(listener: (table: CachedTable | null) => void): void;
  /** Starts listening for other instances' changes (subscribing does too); idempotent. */
  listen(): void;
  /** Tells this process's and the other instances' caches that `table` changed (after COMMIT). */
  publishTableChange(table: CachedTable): void;
  close(): Promise<void>;
}

// A table change rides the same channel as pause changes: `!<table>`; a pause id never starts with `!`.
const TABLE_CHANGE = "!";

// How long a delivered change is remembered, so its NOTIFY echo or a later poll does not wake twice.
const REMEMBER_MS = 60_000;
const POLL_BATCH = 2_000;

/**
 * Tells listeners in this process about pause changes made by any instance:
 * - `publish` (this process's commits) calls them at once, and NOTIFYs the others right after COMMIT;
 * - a dedicated LISTEN connection hears every other instance's NOTIFY within milliseconds,
 *   and reconnects with backoff when it drops;
 * - a poll every `pollIntervalMs` reads pauses whose `updated_at` moved since the last
 *   poll (minus `overlapMs`), and one runs right after every (re)connect: a notification
 *   lost while disconnected delays a wake-up, it never loses it.
 * Each change is `<pause id> <version>` and is delivered once, whichever path brings it first.
 */
export function createChangeFeed(options: ChangeFeedOptions): ChangeFeed {
  const { database, channel } = options;
  const reconnectDelayMs = options.reconnectDelayMs ?? 100;
  const maxReconnectDelayMs = options.maxReconnectDelayMs ?? 5_000;
  const listeners = new Set<(pauseId: string) => void>();
  const tableListeners = new Set<(table: CachedTable | null) => void>();
  const delivered = new Map<string, number>();
  let closed = false;
  let started = false;
  let listenClient: PoolClient | null = null;
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  let pollTimer: ReturnType<typeof setInterval> | null = null;
  let nextDelayMs = reconnectDelayMs;
  // Database time from which the next poll reads; the first poll (null) only learns the clock:
  // before anyone subscribed there was nobody to wake.
  let pollFrom: Date | null = null;
  let polling: Promise<void> | null = null;
  let outgoing: string[] = [];

  // After COMMIT, in its own statement: a transaction that only notifies writes no WAL, so the
  // notify queue's lock is held for microseconds, not through a commit's fsync. If this process dies
  // before sending, the other instances' poll still finds the change.
  function announce(): void {
    const payloads = outgoing;
    outgoing = [];
    if (closed || payloads.length === 0) return;
    database
      .query("SELECT pg_notify($1, payload) FROM unnest($2::text[]) AS payload", [channel, payloads])
      .catch(() => {
        // Postgres unreachable: the poll covers what was not announced.
      });
  }

  function deliver(pauseId: string, version: number): void {
    const key = `${pauseId} ${version}`;
    if (delivered.has(key)) return;
    delivered.set(key, Date.now());
    for (const listener of [...listeners]) {
      try {
        listener(pauseId);
      } catch {
        // A failing listener must not stop the others, nor turn a committed write into a rejection.
      }
    }
  }

  function tableChanged(table: CachedTable | null): void {
    for (const listener of tableListeners) listener(table);
  }

  function forgetOld(): void {
    const before = Date.now() - REMEMBER_MS;
    // Insertion order is delivery order, so the oldest entries come first.
    for (const [key, at] of delivered) {
      if (at >= before) break;
      delivered.delete(key);
    }
  }

  function onNotification(message: Notification): void {
    if (message.channel !== channel || message.payload === undefined) return;
    if (message.payload.startsWith(TABLE_CHANGE)) {
      tableChanged(message.payload.slice(TABLE_CHANGE.length) as CachedTable);
      return;
    }
    const [pauseId, version] = message.payload.split(" ");
    if (pauseId && version) deliver(pauseId, Number(version));
  }

  async function connect(): Promise<void> {
    reconnectTimer = null;
    if (closed) return;
    let client: PoolClient | null = null;
    try {
      client = await database.connect();
      const current = client;
      current.on("notification", onNotification);
      const lost = (error?: unknown) => disconnected(current, error);
      current.on("error", lost);
      current.on("end", lost);
      await current.query(`LISTEN "${channel}"`);
      if (closed) {
        disconnected(current);
        return;
      }
      listenClient = current;
      nextDelayMs = reconnectDelayMs;
      // Whatever another instance announced while nobody listened is lost: forget every cached table.
      tableChanged(null);
      // Changes committed while nobody listened: read them now rather than at the next tick.
      void poll();
    } catch (error) {
      if (client) disconnected(client, error);
      else scheduleReconnect();
    }
  }

  function disconnected(client: PoolClient, error?: unknown): void {
    client.removeAllListeners("notification");
    client.removeAllListeners("end");
    client.removeAllListeners("error");
    // A connection that broke is never reused; keep a listener so a late error cannot crash the process.
    client.on("error", () => {});
    if (listenClient === client) listenClient = null;
    try {
      client.release(error instanceof Error ? error : true);
    } catch {
      // already released
    }
    scheduleReconnect();
  }

  function scheduleReconnect(): void {
    if (closed || reconnectTimer) return;
    const delay = nextDelayMs;
    nextDelayMs = Math.min(nextDelayMs * 2, maxReconnectDelayMs);
    reconnectTimer = setTimeout(() => void connect(), delay);
    reconnectTimer.unref?.();
  }

  function poll(): Promise<void> {
    // One poll at a time; a tick during a slow poll is simply skipped.
    polling ??= pollOnce().finally(() => {
      polling = null;
    });
    return polling;
  }

  async function pollOnce(): Promise<void> {
    if (closed) return;
    try {
      for (;;) {
        // Always one row at least, so the database's clock comes back even when nothing changed.
        const rows = await database.query(
          `SELECT clock.now, changed.pause_id, changed.version, changed.updated_at
            FROM (SELECT clock_timestamp() AS now) AS clock
            LEFT JOIN LATERAL (
              SELECT pause_id, version, updated_at FROM pauses
              WHERE $1::timestamptz IS NOT NULL AND updated_at >= $1::timestamptz
              ORDER BY updated_at LIMIT $2
            ) AS changed ON true`,
          [pollFrom, POLL_BATCH],
        );
        const found = rows.filter((row) => row.pause_id !== null);
        for (const row of found) deliver(String(row.pause_id), Number(row.version));
        if (found.length < POLL_BATCH) {
          pollFrom = new Date((rows[0]!.now as Date).getTime() - options.overlapMs);
          break;
        }
        // A full batch: go on from the last row read (re-read, and de-duplicated); always move forward.
        const last = found.at(-1)!.updated_at as Date;
        const from: Date = pollFrom!;
        pollFrom = last.getTime() > from.getTime() ? last : new Date(from.getTime() + 1);
      }
      forgetOld();
    } catch {
      // Postgres is unreachable: pollFrom stays, so the next successful poll covers the gap.
    }
  }

  function start(): void {
    if (started || closed) return;
    started = true;
    void poll();
    void connect();
    pollTimer = setInterval(() => void poll(), options.pollIntervalMs);
    pollTimer.unref?.();
  }

  return {
    subscribe(listener) {
      // Each subscription is its own entry, so subscribing one function twice needs two unsubscribes.
      const entry = (pauseId: string) => listener(pauseId);
      listeners.add(entry);
      start();
      return () => {
        listeners.delete(entry);
      };
    },
    publish(changes) {
      for (const change of changes) deliver(change.pauseId, change.version);
      if (outgoing.length === 0) setImmediate(announce);
      for (const change of changes) outgoing.push(`${change.pauseId} ${change.version}`);
    },
    onTableChange(listener) {
      tableListeners.add(listener);
    },
    listen: start,
    publishTableChange(table) {
      tableChanged(table);
      if (outgoing.length === 0) setImmediate(announce);
      outgoing.push(`${TABLE_CHANGE}${table}`);
    },
    async close() {
      closed = true;
      listeners.clear();
      tableListeners.clear();
      if (reconnectTimer) clearTimeout(reconnectTimer);
      if (pollTimer) clearInterval(pollTimer);
      const client = listenClient;
      listenClient = null;
      if (client) {
        client.removeAllListeners("end");
        try {
          await client.query(`UNLISTEN "${channel}"`);
          client.release();
        } catch (error) {
          disconnected(client, error);
        }
      }
      await polling;
    },
  };
}
