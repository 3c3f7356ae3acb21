import type { SqliteConnection } from "./sqlite-connection.ts";

interface QueuedWrite {
  work: (connection: SqliteConnection) => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit. Writes queued in the same turn of the event loop run in one
 * `BEGIN IMMEDIATE … COMMIT`, each in its own savepoint (a failing write rolls
 * back alone), so a batch costs one fsync instead of one per write. Every
 * write still resolves only after the COMMIT that made it durable; if the
 * COMMIT fails, every write in the batch rejects and none is acknowledged.
 */
export function createWriteBatcher(options: {
  connect: () => SqliteConnection;
  toError: (error: unknown) => unknown;
}) {
  let queue: QueuedWrite[] = [];
  // Set while a batch runs: work to do once it has committed.
  let committed: (() => void)[] | null = null;

  function flush(): void {
    const batch = queue;
    queue = [];
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
      for (const write of batch) write.reject(options.toError(error));
      return;
    } finally {
      committed = null;
    }
    batch.forEach((write, index) => {
      const outcome = outcomes[index]!;
      if (outcome.ok) write.resolve(outcome.value);
      else write.reject(options.toError(outcome.error));
    });
    for (const callback of callbacks) callback();
  }

  return {
    /** Queues a write; resolves with its result once it is committed. */
    write<T>(work: (connection: SqliteConnection) => T): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
        if (queue.length === 1) setImmediate(flush);
      });
    },
    /** Runs `callback` once the batch now being written has committed; at once outside a batch. */
    afterCommit(callback: () => void): void {
      if (committed) committed.push(callback);
      else callback();
    },
  };
}
