import type { SqliteConnection } from "./sqlite-connection.ts";

interface QueuedWrite {
  work: (connection: SqliteConnection) => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** Pauses between attempts while another process holds the write lock, growing to the last value. */
const LOCK_RETRY_DELAYS_MS = [5, 10, 20, 40, 80];

/**
 * Group commit. Writes queued in the same turn of the event loop run in one
 * `BEGIN IMMEDIATE … COMMIT`, each in its own savepoint (a failing write rolls
 * back alone), so a batch costs one fsync instead of one per write. Every
 * write still resolves only after the COMMIT that made it durable; if the
 * COMMIT fails, every write in the batch rejects and none is acknowledged.
 *
 * When another process holds the write lock, the batch waits with timers,
 * not inside SQLite's busy handler, so the event loop (health checks, reads,
 * timers) keeps running; after `lockTimeoutMs` the writes reject.
 */
export function createWriteBatcher(options: {
  connect: () => SqliteConnection;
  toError: (error: unknown) => unknown;
  isLocked: (error: unknown) => boolean;
  lockTimeoutMs: number;
}) {
  let queue: QueuedWrite[] = [];
  let scheduled = false;
  // Since when the front of the queue has waited for another process's lock, if it has.
  let lockedSince: number | null = null;
  let lockAttempts = 0;
  // Set while a batch runs: work to do once it has committed.
  let committed: (() => void)[] | null = null;

  function schedule(delayMs: number): void {
    scheduled = true;
    const run = () => {
      scheduled = false;
      flush();
    };
    if (delayMs === 0) setImmediate(run);
    else setTimeout(run, delayMs);
  }

  function flush(): void {
    const batch = queue;
    queue = [];
    if (batch.length === 0) return;
    const callbacks: (() => void)[] = [];
    const outcomes: { ok: boolean; value?: unknown; error?: unknown }[] = [];
    committed = callbacks;
    try {
      const connection = options.connect();
      connection.transaction(() => {
        for (const write of batch) {
          try {
            outcomes.push({ ok: true, value: connection.transaction(() => write.work(connection)) });
          } catch (error) {
            outcomes.push({ ok: false, error });
          }
        }
      });
    } catch (error) {
      committed = null;
      if (outcomes.length === 0 && options.isLocked(error) && waitForLock()) {
        queue = batch.concat(queue);
        return;
      }
      lockedSince = null;
      for (const write of batch) write.reject(options.toError(error));
      if (queue.length > 0) schedule(0);
      return;
    }
    committed = null;
    lockedSince = null;
    batch.forEach((write, index) => {
      const outcome = outcomes[index]!;
      if (outcome.ok) write.resolve(outcome.value);
      else write.reject(options.toError(outcome.error));
    });
    for (const callback of callbacks) callback();
    if (queue.length > 0 && !scheduled) schedule(0);
  }

  /** Schedules another attempt while the lock budget lasts; false once it is spent. */
  function waitForLock(): boolean {
    const now = Date.now();
    if (lockedSince === null) {
      lockedSince = now;
      lockAttempts = 0;
    }
    if (now - lockedSince >= options.lockTimeoutMs) return false;
    const delay = LOCK_RETRY_DELAYS_MS[Math.min(lockAttempts++, LOCK_RETRY_DELAYS_MS.length - 1)]!;
    schedule(delay);
    return true;
  }

  return {
    /** Queues a write; resolves with its result once it is committed. */
    write<T>(work: (connection: SqliteConnection) => T): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
        if (!scheduled) schedule(0);
      });
    },
    /** Runs `callback` once the batch now being written has committed; at once outside a batch. */
    afterCommit(callback: () => void): void {
      if (committed) committed.push(callback);
      else callback();
    },
  };
}
