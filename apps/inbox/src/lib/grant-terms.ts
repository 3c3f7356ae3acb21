import type { ActionData, Pause } from "@countersign/core";

/** A numeric argument a grant can bound: where it sits (`amount`, `order.total`) and its value here. */
export interface NumericArgument {
  field: string;
  value: number;
}

/** What the "approve this and similar ones" form starts with. */
export interface GrantDraft {
  agentId: string;
  actionType: string;
  /** The argument the condition and total bound; null when the pause has no number to bound. */
  bound: NumericArgument | null;
  maxCount: number;
  durationSeconds: number;
}

/** How many similar pauses a grant from a card covers unless the approver says otherwise. */
export const DEFAULT_GRANT_COUNT = 5;

const FIELD = /^[A-Za-z_][\w-]*$/;
/** Names that usually carry the money, preferred over the first number found. */
const PREFERRED = ["amount", "total", "value", "price", "quantity"];

/**
 * The non-negative numbers among the arguments, top level first, objects
 * followed with dots (never into arrays: a condition cannot name an element).
 * Only names the policy's condition language accepts.
 */
export function numericArguments(data: ActionData | undefined): NumericArgument[] {
  const found: NumericArgument[] = [];
  const visit = (value: unknown, path: string[]) => {
    if (typeof value === "number" && Number.isFinite(value) && value >= 0 && path.length > 0) {
      found.push({ field: path.join("."), value });
    } else if (value !== null && typeof value === "object" && !Array.isArray(value) && path.length < 3) {
      for (const [key, item] of Object.entries(value)) {
        if (FIELD.test(key)) visit(item, [...path, key]);
      }
    }
  };
  visit(data ?? {}, []);
  return found.sort((left, right) => left.field.split(".").length - right.field.split(".").length);
}

/** The form's starting terms: this agent, this action type, "at most this amount", five uses, one hour (or less). */
export function draftFromPause(pause: Pause, maxDurationSeconds: number): GrantDraft {
  const numbers = numericArguments(pause.action.data);
  const bound =
    PREFERRED.map((name) => numbers.find((entry) => entry.field === name)).find((entry) => entry) ??
    numbers[0] ??
    null;
  return {
    agentId: pause.agent_id,
    actionType: pause.action.type,
    bound,
    maxCount: DEFAULT_GRANT_COUNT,
    durationSeconds: Math.min(3600, maxDurationSeconds),
  };
}

const PRESETS = [15 * 60, 3600, 4 * 3600, 8 * 3600, 24 * 3600, 3 * 86_400, 7 * 86_400];

/** Durations the form offers: the usual ones up to the policy's maximum, and the maximum itself. */
export function durationChoices(maxDurationSeconds: number): number[] {
  const choices = PRESETS.filter((seconds) => seconds < maxDurationSeconds);
  return [...choices, maxDurationSeconds];
}

/** "15 minutes", "1 hour", "8 hours", "3 days", "90 seconds". */
export function durationText(seconds: number): string {
  const plural = (count: number, unit: string) => `${count} ${unit}${count === 1 ? "" : "s"}`;
  if (seconds % 86_400 === 0) return plural(seconds / 86_400, "day");
  if (seconds % 3600 === 0) return plural(seconds / 3600, "hour");
  if (seconds % 60 === 0) return plural(seconds / 60, "minute");
  return plural(seconds, "second");
}
