import { CountersignError, MAX_BATCH_DECISIONS } from "@countersign/core";

/**
 * When a Slack channel gets one summary instead of a card per pause: more
 * than `threshold` pauses of one action type for one channel within
 * `windowSeconds`. Off unless set.
 */
export interface SummaryOptions {
  /** Cards posted per channel and action type within the window before the summary collects the rest. */
  threshold: number;
  /** The window, in seconds (default 60). */
  windowSeconds?: number;
}

export const DEFAULT_SUMMARY_WINDOW_SECONDS = 60;
/** A summary holds at most what one batch decision decides; a longer burst starts another summary. */
export const MAX_SUMMARY_ITEMS = MAX_BATCH_DECISIONS;

/** The options with defaults applied; throws naming the field when one is out of range. */
export function checkSummaryOptions(options: SummaryOptions): Required<SummaryOptions> {
  const windowSeconds = options.windowSeconds ?? DEFAULT_SUMMARY_WINDOW_SECONDS;
  if (!Number.isInteger(options.threshold) || options.threshold < 1 || options.threshold > 1_000) {
    throw new CountersignError("invalid_request", "summary.threshold must be a whole number from 1 to 1000");
  }
  if (!Number.isInteger(windowSeconds) || windowSeconds < 1 || windowSeconds > 86_400) {
    throw new CountersignError(
      "invalid_request",
      "summary.windowSeconds must be a whole number of seconds from 1 to 86400",
    );
  }
  return { threshold: options.threshold, windowSeconds };
}

/**
 * Counts arrivals per key (channel and action type) over a sliding window.
 * `arrive` records one and answers how many arrived within the window,
 * this one included.
 */
export function createBurstWindow(windowSeconds: number) {
  const arrivals = new Map<string, number[]>();
  const windowMs = windowSeconds * 1_000;

  function arrive(key: string, at: number): number {
    const recent = (arrivals.get(key) ?? []).filter((time) => at - time < windowMs);
    recent.push(at);
    arrivals.set(key, recent);
    // Keys of quiet channels are dropped, so the map stays as small as the current bursts.
    for (const [other, times] of arrivals) {
      if (other !== key && times.every((time) => at - time >= windowMs)) arrivals.delete(other);
    }
    return recent.length;
  }

  return { arrive };
}
