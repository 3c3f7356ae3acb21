import { CountersignError } from "../../errors/countersign-error.ts";
import type { Pause } from "../../protocol/pause.ts";
import { anySignal, sleep } from "../abort.ts";
import { isTransient } from "../errors.ts";
import type { ToolGateClient } from "./tool-gate-options.ts";

const POLL_WAIT_SECONDS = 30;
const FIRST_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 5_000;
const MIN_ROUND_MS = 500;

/** The server's default pause lifetime (one hour) and a minute: past it the pause has expired anyway. */
export const DEFAULT_WAIT_TIMEOUT_MS = 3_600_000 + 60_000;
/** How long the server may be unreachable, in a row, before a wait gives up. */
export const DEFAULT_OUTAGE_TIMEOUT_MS = 60_000;

export interface AwaitDecisionOptions {
  /** Overall limit; then `timeout`. Default: an hour and a minute. */
  timeoutMs?: number;
  /** How long the server may stay unreachable (in a row) before the wait gives up. Default 60 s. */
  outageTimeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * Long-polls until the pause leaves `pending`. Transient failures (network,
 * 5xx) are retried with jittered exponential backoff, but never silently
 * forever: once the server has been unreachable for `outageTimeoutMs` in a
 * row, the last error is thrown (an outage: the pause is untouched and a later
 * wait picks it up). Anything else (`not_found`, `unauthorized`) fails at once.
 */
export async function awaitDecision(
  client: Pick<ToolGateClient, "getPause">,
  pauseId: string,
  options: AwaitDecisionOptions = {},
): Promise<Pause> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS;
  const outageTimeoutMs = options.outageTimeoutMs ?? DEFAULT_OUTAGE_TIMEOUT_MS;
  const endsAt = Date.now() + timeoutMs;
  const signal = anySignal([options.signal, AbortSignal.timeout(timeoutMs)]);
  let unreachableSince: number | undefined;
  let failures = 0;
  for (;;) {
    const startedAt = Date.now();
    let delayMs: number;
    try {
      const waitSeconds = Math.max(1, Math.min(POLL_WAIT_SECONDS, Math.ceil((endsAt - startedAt) / 1000)));
      const pause = await client.getPause(pauseId, { waitSeconds, signal });
      if (pause.status !== "pending") return pause;
      unreachableSince = undefined;
      failures = 0;
      delayMs = Math.max(0, MIN_ROUND_MS - (Date.now() - startedAt));
    } catch (error) {
      if (signal?.aborted) throw stopped(pauseId, options.signal, timeoutMs, error);
      if (!isTransient(error)) throw error;
      unreachableSince ??= startedAt;
      if (Date.now() - unreachableSince >= outageTimeoutMs) throw error;
      failures++;
      const backoff = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** (failures - 1));
      delayMs = backoff / 2 + (Math.random() * backoff) / 2;
    }
    try {
      await sleep(delayMs, signal);
    } catch (error) {
      throw stopped(pauseId, options.signal, timeoutMs, error);
    }
  }
}

function stopped(
  pauseId: string,
  callerSignal: AbortSignal | undefined,
  timeoutMs: number,
  cause: unknown,
): CountersignError {
  const why = callerSignal?.aborted ? "aborted" : `no decision within ${timeoutMs} ms`;
  return new CountersignError("timeout", `Stopped waiting for pause ${pauseId}: ${why}`, { pauseId, cause });
}
