// Standard Webhooks / Svix-style schedule: about 27 hours from the first
// attempt to the last, then the delivery is given up as failed.

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Delay before attempt n (index n - 1): immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h. */
export const WEBHOOK_RETRY_DELAYS_MS: readonly number[] = [
  0,
  5 * SECOND,
  5 * MINUTE,
  30 * MINUTE,
  2 * HOUR,
  5 * HOUR,
  10 * HOUR,
  10 * HOUR,
];

export const WEBHOOK_MAX_ATTEMPTS = WEBHOOK_RETRY_DELAYS_MS.length;

/** Each delay varies by up to this fraction either way, so failed receivers are not hit by a thundering herd. */
export const WEBHOOK_RETRY_JITTER = 0.2;

/** A receiver's `Retry-After` is honoured up to this long. */
export const MAX_RETRY_AFTER_MS = 24 * HOUR;

/** `delayMs` moved by up to ±20 %; `random` returns [0, 1) like `Math.random`. */
export function withJitter(delayMs: number, random: () => number = Math.random): number {
  const factor = 1 - WEBHOOK_RETRY_JITTER + 2 * WEBHOOK_RETRY_JITTER * random();
  return Math.round(delayMs * factor);
}

/**
 * A `Retry-After` header in milliseconds from `now`: delta seconds or an
 * HTTP date (a past date is 0). `null` when absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, now: Date): number | null {
  if (value === null || value === undefined) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * SECOND;
  // An HTTP date always names a weekday or month; this keeps Date.parse away from bare numbers.
  if (!/[A-Za-z]/.test(text)) return null;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - now.getTime());
}

export interface NextRetryInput {
  /** Attempts made so far, including the one that just failed. */
  attemptsMade: number;
  /** The failed response's `Retry-After` header, if any. */
  retryAfter?: string | null;
  /** When the failed attempt finished; the reference for an HTTP-date `Retry-After`. */
  now: Date;
  random?: () => number;
}

/**
 * Milliseconds to wait before the next attempt, or `null` when the schedule
 * is exhausted and the delivery has failed. A `Retry-After` that asks for
 * longer than the schedule wins, capped at 24 hours.
 */
export function nextRetryDelayMs(input: NextRetryInput): number | null {
  if (input.attemptsMade >= WEBHOOK_MAX_ATTEMPTS) return null;
  const scheduled = withJitter(WEBHOOK_RETRY_DELAYS_MS[Math.max(0, input.attemptsMade)] ?? 0, input.random);
  const requested = parseRetryAfter(input.retryAfter, input.now);
  if (requested === null) return scheduled;
  return Math.max(scheduled, Math.min(requested, MAX_RETRY_AFTER_MS));
}
