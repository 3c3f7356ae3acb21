import { z } from "zod";

const DURATION = /^(\d{1,9})(s|m|h|d)$/;
const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `older_than`: a duration (`90s`, `15m`, `2h`, `7d`) or an ISO 8601 instant. */
export const OlderThanSchema = z
  .string()
  .max(64)
  .refine((value) => DURATION.test(value) || z.iso.datetime({ offset: true }).safeParse(value).success, {
    message: "a duration such as 15m, 2h or 7d, or an ISO 8601 instant",
  });

/** The instant `olderThan` names: now minus the duration, or the instant itself. */
export function claimedBefore(olderThan: string, now: Date): string {
  const duration = DURATION.exec(olderThan);
  if (!duration) return new Date(olderThan).toISOString();
  const unit = duration[2] as keyof typeof UNIT_MS;
  return new Date(now.getTime() - Number(duration[1]) * UNIT_MS[unit]).toISOString();
}
