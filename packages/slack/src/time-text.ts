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

/**
 * Slack's date token: every reader sees the time in their own time zone.
 * The fallback (UTC) is shown by clients that cannot format it.
 */
export function slackDate(iso: string, format = "{date_short_pretty} at {time}"): string {
  const date = new Date(iso);
  const unix = Math.floor(date.getTime() / 1000);
  const fallback = `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
  return `<!date^${unix}^${format}|${fallback}>`;
}
