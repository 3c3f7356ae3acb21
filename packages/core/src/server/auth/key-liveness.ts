import type { Store } from "../../store/store.ts";

/**
 * Answers "is this key still live?" for long-lived requests (event streams),
 * which authenticated once at the start. Each answer is shared for `ttlMs`
 * by every stream of that key, so thousands of open streams cost one store
 * read per key per second, and a revocation ends them within `ttlMs` plus
 * their check interval.
 */
export function createKeyLiveness(store: Store, ttlMs = 1_000) {
  const answers = new Map<string, { at: number; live: Promise<boolean> }>();
  return {
    isLive(keyHash: string): Promise<boolean> {
      const now = Date.now();
      const cached = answers.get(keyHash);
      if (cached && now - cached.at < ttlMs) return cached.live;
      if (answers.size > 10_000) answers.clear();
      const live = store.findApiKeyByHash(keyHash).then(
        (key) => key !== null && key.revokedAt === null,
        // An unreachable store cannot vouch for the key: the stream ends (fail closed).
        () => false,
      );
      answers.set(keyHash, { at: now, live });
      return live;
    },
  };
}
