/**
 * Dates on cards use Adaptive Card's `{{DATE()}}` and `{{TIME()}}`
 * functions, so each reader sees their own time zone and locale. They take
 * RFC 3339 without fractions of a second. Messages outside cards (invoke
 * replies) cannot use them and say UTC.
 */
export function cardDateTime(iso: string): string {
  const stamp = wholeSeconds(iso);
  return `{{DATE(${stamp}, SHORT)}} at {{TIME(${stamp})}}`;
}

export function cardTime(iso: string): string {
  return `{{TIME(${wholeSeconds(iso)})}}`;
}

/** "2026-11-21 10:00 UTC", for plain messages. */
export function utcText(iso: string): string {
  return `${new Date(iso).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** "14 minutes", "2 h 5 min", "3 days"; "none" once passed. */
export function formatTimeLeft(expiresAt: string, now: Date): string {
  const seconds = Math.floor((Date.parse(expiresAt) - now.getTime()) / 1000);
  if (seconds <= 0) return "none";
  if (seconds < 60) return "less than a minute";
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? "" : "s"}`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} days`;
}

function wholeSeconds(iso: string): string {
  return `${new Date(iso).toISOString().slice(0, 19)}Z`;
}
