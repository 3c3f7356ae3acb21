import { describe, expect, it } from "vitest";
import { expiresSoon, timeAgo, timeLeft } from "./format-time.ts";

const NOW = Date.parse("2026-11-21T10:00:00Z");

describe("times in the inbox", () => {
  it("counts down to expiry", () => {
    expect(timeLeft("2026-11-21T10:14:30Z", NOW)).toBe("expires in 14 min");
    expect(timeLeft("2026-11-21T12:05:00Z", NOW)).toBe("expires in 2 h 5 min");
    expect(timeLeft("2026-11-21T10:00:40Z", NOW)).toBe("expires in 40 s");
    expect(timeLeft("2026-11-23T10:00:00Z", NOW)).toBe("expires in 2 d");
    expect(timeLeft("2026-11-21T09:59:00Z", NOW)).toBe("expired");
  });

  it("flags pauses about to expire", () => {
    expect(expiresSoon("2026-11-21T10:05:00Z", NOW)).toBe(true);
    expect(expiresSoon("2026-11-21T10:30:00Z", NOW)).toBe(false);
    expect(expiresSoon("2026-11-21T09:30:00Z", NOW)).toBe(false);
  });

  it("says how long ago something happened", () => {
    expect(timeAgo("2026-11-21T09:59:30Z", NOW)).toBe("just now");
    expect(timeAgo("2026-11-21T09:57:00Z", NOW)).toBe("3 min ago");
    expect(timeAgo("2026-11-21T07:00:00Z", NOW)).toBe("3 h ago");
  });
});
