import type { Pause } from "@countersign/core";

/** What an approver reads about a pause, in the e-mail and on the confirmation page. All of it is agent-supplied text: escape it. */
export interface PauseFacts {
  title: string;
  description: string | null;
  body: string | null;
  actionType: string;
  agentId: string;
  risk: string | null;
  /** The exact arguments, as indented JSON; null when the action has none. */
  arguments: string | null;
  expiresAt: string;
  /** e.g. `21 Nov 2026, 10:15 UTC` */
  expiresText: string;
}

const DATE_FORMAT = new Intl.DateTimeFormat("en-GB", {
  timeZone: "UTC",
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

export function pauseFacts(pause: Pause): PauseFacts {
  const { action } = pause;
  return {
    title: action.title?.trim() || `${action.type} requested by ${pause.agent_id}`,
    description: action.description?.trim() || null,
    body: action.body?.trim() || null,
    actionType: action.type,
    agentId: pause.agent_id,
    risk: action.risk ?? null,
    arguments: action.data === undefined ? null : JSON.stringify(action.data, null, 2),
    expiresAt: pause.expires_at,
    expiresText: formatUtc(pause.expires_at),
  };
}

export function formatUtc(iso: string): string {
  return `${DATE_FORMAT.format(new Date(iso))} UTC`;
}
