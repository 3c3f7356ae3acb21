import type { Pause } from "@countersign/core";
import { expiresSoon, timeLeft } from "../lib/format-time.ts";

/** Pending: the time left; decided: the outcome. */
export function StatusBadge({ pause, now }: { pause: Pause; now: number }) {
  if (pause.status === "pending") {
    return (
      <span class={`badge ${expiresSoon(pause.expires_at, now) ? "badge-soon" : "badge-pending"}`}>
        {timeLeft(pause.expires_at, now)}
      </span>
    );
  }
  return <span class={`badge badge-${pause.status}`}>{pause.status}</span>;
}
