import { CountersignError } from "../errors/countersign-error.ts";
import type { Pause } from "../protocol/pause.ts";
import { anySignal, sleep } from "./abort.ts";
import { getPause } from "./endpoints.ts";
import { isTransient } from "./errors.ts";
import { followEvents } from "./follow-events.ts";
import type { Http } from "./http.ts";
import type { WaitForDecisionOptions } from "./types.ts";

/** Longest single long-poll: short enough for proxies that cut idle connections. */
const POLL_WAIT_SECONDS = 30;
/** A pending reply that came faster than this (a server ignoring `?wait`) is not repeated at once. */
const MIN_ROUND_MS = 1_000;
const FIRST_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 5_000;

/**
 * Waits until a pause leaves `pending`, by long-polling (default) or over
 * Server-Sent Events. Transient failures (network, timeouts, 5xx) reconnect
 * with a short backoff; anything else (not_found, unauthorized, a garbled
 * reply) fails at once. Past `timeoutMs` it fails with the last transient
 * error, or with code `timeout`.
 */
export async function waitForDecision(
  http: Http,
  pauseId: string,
  options: WaitForDecisionOptions = {},
): Promise<Pause> {
  const deadline = options.timeoutMs === undefined ? undefined : AbortSignal.timeout(options.timeoutMs);
  const endsAt = options.timeoutMs === undefined ? Number.POSITIVE_INFINITY : Date.now() + options.timeoutMs;
  const signal = anySignal([options.signal, deadline]);
  let lastError: CountersignError | undefined;
  let failures = 0;

  const stopped = (): CountersignError => {
    if (options.signal?.aborted) {
      return new CountersignError("timeout", `Stopped waiting for pause ${pauseId}: aborted`, {
        pauseId,
        cause: options.signal.reason,
      });
    }
    return (
      lastError ??
      new CountersignError("timeout", `No decision on pause ${pauseId} within ${options.timeoutMs} ms`, {
        pauseId,
      })
    );
  };

  for (;;) {
    if (signal?.aborted) throw stopped();
    const startedAt = Date.now();
    let delayMs: number;
    try {
      const pause =
        options.transport === "sse"
          ? await followEvents(http, pauseId, signal)
          : await pollOnce(http, pauseId, endsAt, signal);
      if (pause) return pause;
      lastError = undefined;
      failures = 0;
      delayMs = Math.max(0, MIN_ROUND_MS - (Date.now() - startedAt));
    } catch (error) {
      if (signal?.aborted) throw stopped();
      if (!isTransient(error)) throw error;
      lastError = error;
      failures++;
      const backoff = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** (failures - 1));
      delayMs = backoff / 2 + (Math.random() * backoff) / 2;
    }
    try {
      await sleep(delayMs, signal);
    } catch {
      throw stopped();
    }
  }
}

/** One long-poll: the decided pause, or `null` while it is still pending. */
async function pollOnce(
  http: Http,
  pauseId: string,
  endsAt: number,
  signal: AbortSignal | undefined,
): Promise<Pause | null> {
  const remainingSeconds = Math.ceil((endsAt - Date.now()) / 1000);
  const waitSeconds = Math.max(1, Math.min(POLL_WAIT_SECONDS, remainingSeconds));
  const pause = await getPause(http, pauseId, { waitSeconds, signal, retry: "never" });
  return pause.status === "pending" ? null : pause;
}
