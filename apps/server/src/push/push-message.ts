import type { Pause } from "@countersign/core";

/** Long enough for a lock screen's two lines; the card has the rest. */
export const MAX_PUSH_TITLE = 120;

/**
 * What a notification carries, and nothing more: the pause's title (the one
 * piece of agent text, cut short and stripped of control and direction
 * characters), its risk, and the link to its card. The arguments, body and
 * description stay on the server: a push service relays the message and a
 * lock screen shows it. Versioned, like every format the server sends.
 */
export interface PushMessage {
  v: 1;
  type: "pause.routed";
  pause_id: string;
  title: string;
  risk: "low" | "medium" | "high" | "critical" | null;
  /** The card in the inbox, on this server. */
  url: string;
}

export function pushMessage(pause: Pause): PushMessage {
  return {
    v: 1,
    type: "pause.routed",
    pause_id: pause.pause_id,
    title: plainTitle(pause.action.title) ?? "An action is waiting for your approval",
    risk: pause.action.risk ?? null,
    url: pause.links.inbox,
  };
}

// C0 and C1 controls, and the bidirectional overrides and isolates that could reorder what is shown.
// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point.
const HIDDEN_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** One line of plain text, at most `MAX_PUSH_TITLE` characters (never a split surrogate pair); `null` when empty. */
export function plainTitle(title: string | undefined): string | null {
  const line = (title ?? "").replace(HIDDEN_CHARACTERS, " ").replace(/\s+/g, " ").trim();
  if (line === "") return null;
  const characters = Array.from(line);
  if (characters.length <= MAX_PUSH_TITLE) return line;
  return `${characters
    .slice(0, MAX_PUSH_TITLE - 1)
    .join("")
    .trimEnd()}…`;
}
