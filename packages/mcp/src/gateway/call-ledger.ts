import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";

/** How a gated call ended, kept so an identical call in the replay window gets the same answer. */
export interface SettledCall {
  at: number;
  pauseId: string;
  outcome: "executed" | "execution_failed" | "rejected" | "expired" | "cancelled";
  result: CallToolResult;
}

interface LedgerEntry {
  generation: number;
  settled?: SettledCall;
  touchedAt: number;
}

/**
 * Per identical call (session + server + tool + arguments): which approval
 * generation it is on, how the last one ended, and the work in flight. One
 * approval runs the upstream at most once: an identical call joins the work
 * in flight, gets the settled result within the replay window, and opens a
 * new approval (the next generation) only after it.
 */
export interface CallLedger {
  generation(callKey: string, now: number): { generation: number; settled?: SettledCall };
  settle(callKey: string, settled: SettledCall): void;
  /** Moves the call to a fresh approval: the current one is used up or unusable. */
  advance(callKey: string, now: number): void;
  inFlight(key: string): Promise<CallToolResult> | undefined;
  track(key: string, work: Promise<CallToolResult>): Promise<CallToolResult>;
}

const SWEEP_ABOVE = 1_000;

export function createCallLedger(replayWindowMs: number): CallLedger {
  const entries = new Map<string, LedgerEntry>();
  const running = new Map<string, Promise<CallToolResult>>();

  const sweep = (now: number) => {
    if (entries.size < SWEEP_ABOVE) return;
    for (const [key, entry] of entries) {
      // Forgetting an entry restarts its generation count, which lands on the old pause again;
      // only entries whose replay window is long over are forgotten, and those are settled.
      if (entry.settled && now - entry.touchedAt > replayWindowMs * 2) entries.delete(key);
    }
  };

  const entryFor = (callKey: string, now: number): LedgerEntry => {
    let entry = entries.get(callKey);
    if (!entry) {
      sweep(now);
      entry = { generation: 0, touchedAt: now };
      entries.set(callKey, entry);
    }
    entry.touchedAt = now;
    return entry;
  };

  return {
    generation(callKey, now) {
      const entry = entryFor(callKey, now);
      if (entry.settled && now - entry.settled.at > replayWindowMs) {
        entry.generation++;
        delete entry.settled;
      }
      return entry.settled
        ? { generation: entry.generation, settled: entry.settled }
        : { generation: entry.generation };
    },
    settle(callKey, settled) {
      entryFor(callKey, settled.at).settled = settled;
    },
    advance(callKey, now) {
      const entry = entryFor(callKey, now);
      entry.generation++;
      delete entry.settled;
    },
    inFlight: (key) => running.get(key),
    track(key, work) {
      running.set(key, work);
      const done = () => {
        if (running.get(key) === work) running.delete(key);
      };
      work.then(done, done);
      return work;
    },
  };
}
