const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "expires in 14 min", "expires in 2 h 5 min", "expired". */
export function timeLeft(expiresAt: string, now: number): string {
  const left = Date.parse(expiresAt) - now;
  if (left <= 0) return "expired";
  return `expires in ${duration(left)}`;
}

/** Whether less than a fifth of an hour is left: the list highlights it. */
export function expiresSoon(expiresAt: string, now: number): boolean {
  const left = Date.parse(expiresAt) - now;
  return left > 0 && left < 12 * MINUTE;
}

export function duration(milliseconds: number): string {
  if (milliseconds < MINUTE) return `${Math.max(1, Math.floor(milliseconds / 1000))} s`;
  if (milliseconds < HOUR) return `${Math.floor(milliseconds / MINUTE)} min`;
  if (milliseconds < DAY) {
    const minutes = Math.floor((milliseconds % HOUR) / MINUTE);
    return `${Math.floor(milliseconds / HOUR)} h${minutes ? ` ${minutes} min` : ""}`;
  }
  return `${Math.floor(milliseconds / DAY)} d`;
}

/** "just now", "3 min ago", "2 h ago", or the date. */
export function timeAgo(at: string, now: number): string {
  const ago = now - Date.parse(at);
  if (ago < MINUTE) return "just now";
  if (ago < DAY) return `${duration(ago)} ago`;
  return formatDateTime(at);
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

export function formatDateTime(at: string): string {
  return dateTime.format(new Date(at));
}
