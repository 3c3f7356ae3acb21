import { describe, expect, it } from "vitest";
import {
  MAX_RETRY_AFTER_MS,
  nextRetryDelayMs,
  parseRetryAfter,
  WEBHOOK_MAX_ATTEMPTS,
  WEBHOOK_RETRY_DELAYS_MS,
  withJitter,
} from "./retry-schedule.ts";

const now = new Date("2026-11-21T10:00:00.000Z");
const HOUR = 3_600_000;

describe("the retry schedule", () => {
  it("starts immediately, never shortens, and gives up after about 27 hours", () => {
    expect(WEBHOOK_RETRY_DELAYS_MS[0]).toBe(0);
    for (let index = 1; index < WEBHOOK_RETRY_DELAYS_MS.length; index++) {
      expect(WEBHOOK_RETRY_DELAYS_MS[index]).toBeGreaterThanOrEqual(WEBHOOK_RETRY_DELAYS_MS[index - 1] ?? 0);
    }
    const total = WEBHOOK_RETRY_DELAYS_MS.reduce((sum, delay) => sum + delay, 0);
    expect(total).toBeGreaterThan(26 * HOUR);
    expect(total).toBeLessThan(28 * HOUR);
  });

  it("waits 5 s after the first failure and 10 h before the last attempt, without jitter", () => {
    const middle = () => 0.5;
    expect(nextRetryDelayMs({ attemptsMade: 1, now, random: middle })).toBe(5_000);
    expect(nextRetryDelayMs({ attemptsMade: 2, now, random: middle })).toBe(300_000);
    expect(nextRetryDelayMs({ attemptsMade: WEBHOOK_MAX_ATTEMPTS - 1, now, random: middle })).toBe(10 * HOUR);
  });

  it("gives up once every scheduled attempt is made", () => {
    expect(WEBHOOK_MAX_ATTEMPTS).toBe(8);
    expect(nextRetryDelayMs({ attemptsMade: WEBHOOK_MAX_ATTEMPTS, now })).toBeNull();
    expect(nextRetryDelayMs({ attemptsMade: WEBHOOK_MAX_ATTEMPTS, now, retryAfter: "5" })).toBeNull();
  });

  it("keeps growing under jitter: the shortest wait after a failure is longer than the longest wait before it", () => {
    const lowest = () => 0;
    const highest = () => 0.999_999;
    for (let attemptsMade = 2; attemptsMade < WEBHOOK_MAX_ATTEMPTS; attemptsMade++) {
      const previousLongest =
        nextRetryDelayMs({ attemptsMade: attemptsMade - 1, now, random: highest }) ?? -1;
      const shortest = nextRetryDelayMs({ attemptsMade, now, random: lowest }) ?? -1;
      const sameBase = WEBHOOK_RETRY_DELAYS_MS[attemptsMade] === WEBHOOK_RETRY_DELAYS_MS[attemptsMade - 1];
      if (!sameBase) expect(shortest).toBeGreaterThan(previousLongest);
      expect(shortest).toBe(Math.round((WEBHOOK_RETRY_DELAYS_MS[attemptsMade] ?? 0) * 0.8));
    }
  });
});

describe("withJitter", () => {
  it("stays within ±20 % for any random value", () => {
    for (let step = 0; step <= 100; step++) {
      const random = () => Math.min(step / 100, 0.999_999);
      const delay = withJitter(60_000, random);
      expect(delay).toBeGreaterThanOrEqual(48_000);
      expect(delay).toBeLessThanOrEqual(72_000);
    }
    expect(withJitter(60_000, () => 0)).toBe(48_000);
    expect(withJitter(0, () => 0.7)).toBe(0);
  });
});

describe("Retry-After", () => {
  it("reads delta seconds and HTTP dates, and ignores garbage", () => {
    expect(parseRetryAfter("120", now)).toBe(120_000);
    expect(parseRetryAfter(" 0 ", now)).toBe(0);
    expect(parseRetryAfter("Sat, 21 Nov 2026 11:00:00 GMT", now)).toBe(HOUR);
    expect(parseRetryAfter("Sat, 21 Nov 2026 09:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeNull();
    expect(parseRetryAfter("-5", now)).toBeNull();
    expect(parseRetryAfter("1.5", now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });

  it("wins when it asks for longer than the schedule", () => {
    const delay = nextRetryDelayMs({ attemptsMade: 1, now, retryAfter: "600", random: () => 0.5 });
    expect(delay).toBe(600_000);
    const byDate = nextRetryDelayMs({
      attemptsMade: 1,
      now,
      retryAfter: "Sat, 21 Nov 2026 12:00:00 GMT",
      random: () => 0.5,
    });
    expect(byDate).toBe(2 * HOUR);
  });

  it("never shortens the schedule", () => {
    expect(nextRetryDelayMs({ attemptsMade: 2, now, retryAfter: "1", random: () => 0.5 })).toBe(300_000);
  });

  it("is capped at 24 hours", () => {
    expect(nextRetryDelayMs({ attemptsMade: 1, now, retryAfter: String(7 * 24 * 3600) })).toBe(
      MAX_RETRY_AFTER_MS,
    );
    expect(MAX_RETRY_AFTER_MS).toBe(24 * HOUR);
  });
});
