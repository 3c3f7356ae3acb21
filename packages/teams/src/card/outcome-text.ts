import type { Pause } from "@countersign/core";
import { utcText } from "./card-dates.ts";
import { safeText } from "./card-text.ts";

const CHANNEL_LABELS: Record<string, string> = {
  teams: "Teams",
  slack: "Slack",
  email: "e-mail",
  web: "the inbox",
  api: "the API",
};

/** Who decided, as inert text: "alice@example.com via Teams", "policy rule small-refunds", "timeout". */
export function deciderText(pause: Pause): string {
  const decider = pause.decision?.decided_by;
  if (!decider) return "nobody";
  if (decider.kind === "policy") return `policy rule ${safeText(decider.rule ?? decider.id, 200)}`;
  if (decider.kind === "timeout") return "timeout";
  if (decider.kind === "grant")
    return `a standing grant by ${safeText(String(decider.granted_by ?? decider.id), 200)}`;
  const channel = decider.channel ? (CHANNEL_LABELS[decider.channel] ?? safeText(decider.channel, 50)) : null;
  return `${safeText(decider.id, 200)}${channel ? ` via ${channel}` : ""}`;
}

/** The reply to a click on a pause that is no longer pending (a plain message: times in UTC). */
export function alreadyDecidedText(pause: Pause): string {
  const at = pause.decision ? ` at ${utcText(pause.decision.decided_at)}` : "";
  switch (pause.status) {
    case "approved":
      return `Already decided by ${deciderText(pause)}: approved${at}. Nothing changed.`;
    case "rejected":
      return `Already decided by ${deciderText(pause)}: rejected${at}. Nothing changed.`;
    case "expired":
      return `This request already expired${at} without a decision. Nothing changed.`;
    case "cancelled":
      return `The agent already cancelled this request${at}. Nothing changed.`;
    case "pending":
      return "This request is still pending.";
  }
}
