import type { Pause } from "@countersign/core";
import type { IFact } from "@microsoft/teams.cards";
import { safeText } from "./card-text.ts";

/** Limits that keep a card well inside Teams' 28 KB message size, whatever the agent sends. */
export const ARGUMENT_LIMITS = { facts: 25, name: 100, value: 400, total: 6_000 } as const;

export interface ArgumentFacts {
  /** "Arguments" or "Arguments (edited by the approver)". */
  label: string;
  facts: IFact[];
  /** True when a fact was cut or left out: the card then points to the inbox. */
  truncated: boolean;
}

/**
 * The exact arguments as facts: one per top-level field, each value as JSON
 * (so "12450" and 12450 read differently), made inert and cut to the limits.
 */
export function argumentFacts(pause: Pause): ArgumentFacts {
  const edited = pause.status === "approved" && pause.decision?.data != null;
  const data = edited ? pause.decision?.data : pause.action.data;
  const label = edited ? "Arguments (edited by the approver)" : "Arguments";
  const entries = data ? Object.entries(data) : [];
  const facts: IFact[] = [];
  let truncated = entries.length > ARGUMENT_LIMITS.facts;
  let budget: number = ARGUMENT_LIMITS.total;
  for (const [name, value] of entries.slice(0, ARGUMENT_LIMITS.facts)) {
    const json = JSON.stringify(value) ?? "null";
    const room = Math.min(ARGUMENT_LIMITS.value, budget);
    if (room <= 0) {
      truncated = true;
      break;
    }
    if (json.length > room || name.length > ARGUMENT_LIMITS.name) truncated = true;
    facts.push({ title: safeText(name, ARGUMENT_LIMITS.name), value: safeText(json, room) });
    budget -= Math.min(json.length, room);
  }
  return { label, facts, truncated };
}
