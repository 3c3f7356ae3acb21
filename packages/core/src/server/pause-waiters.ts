import type { Store } from "../store/store.ts";

/**
 * One store subscription shared by every waiter of a server: long-polls and
 * SSE streams wait here for "this pause changed" instead of polling.
 */
export function createPauseWaiters(store: Store) {
  const waiters = new Map<string, Set<() => void>>();
  const unsubscribe = store.subscribe((pauseId) => {
    const set = waiters.get(pauseId);
    if (!set) return;
    waiters.delete(pauseId);
    for (const wake of set) wake();
  });

  /** Resolves `true` when the pause changes, `false` after `timeoutMs` or on abort. */
  function next(pauseId: string, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve(false);
      let set = waiters.get(pauseId);
      if (!set) {
        set = new Set();
        waiters.set(pauseId, set);
      }
      const finish = (changed: boolean) => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        const current = waiters.get(pauseId);
        current?.delete(wake);
        if (current?.size === 0) waiters.delete(pauseId);
        resolve(changed);
      };
      const wake = () => finish(true);
      const onAbort = () => finish(false);
      const timer = setTimeout(() => finish(false), Math.max(0, timeoutMs));
      signal?.addEventListener("abort", onAbort, { once: true });
      set.add(wake);
    });
  }

  /** How many are waiting now (the `countersign_waiters` gauge). */
  const count = () => {
    let total = 0;
    for (const set of waiters.values()) total += set.size;
    return total;
  };

  return { next, count, close: unsubscribe };
}

export type PauseWaiters = ReturnType<typeof createPauseWaiters>;
