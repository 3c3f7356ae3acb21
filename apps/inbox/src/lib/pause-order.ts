import type { Pause } from "@countersign/core";

export type SortOrder = "urgent" | "newest";

const RISK_RANK: Record<string, number> = { critical: 4, high: 3, medium: 2, low: 1 };

/** Unstated risk sorts with `medium`: unknown is not the same as harmless. */
function riskRank(pause: Pause): number {
  return RISK_RANK[pause.action.risk ?? "medium"] ?? 2;
}

/**
 * `urgent`: pending before decided, higher risk first, then the soonest
 * expiry; `newest`: most recently opened first.
 */
export function sortPauses(pauses: readonly Pause[], order: SortOrder): Pause[] {
  const newestFirst = (a: Pause, b: Pause) => b.created_at.localeCompare(a.created_at);
  if (order === "newest") return [...pauses].sort(newestFirst);
  return [...pauses].sort(
    (a, b) =>
      Number(b.status === "pending") - Number(a.status === "pending") ||
      riskRank(b) - riskRank(a) ||
      a.expires_at.localeCompare(b.expires_at) ||
      newestFirst(a, b),
  );
}

/** The agents and action types seen, for the filter menus. */
export interface Facets {
  agents: string[];
  types: string[];
}

export function facets(pauses: readonly Pause[]): Facets {
  const agents = new Set(pauses.map((pause) => pause.agent_id));
  const types = new Set(pauses.map((pause) => pause.action.type));
  return { agents: [...agents].sort(), types: [...types].sort() };
}

/** The pause's title, else its description's first line, else its type. */
export function pauseTitle(pause: Pause): string {
  return pause.action.title?.trim() || pause.action.description?.split("\n")[0]?.trim() || pause.action.type;
}

/** The facets seen so far plus those of a new page: menus keep every choice while a filter narrows the list. */
export function mergeFacets(seen: Facets, pauses: readonly Pause[]): Facets {
  const next = facets(pauses);
  return {
    agents: [...new Set([...seen.agents, ...next.agents])].sort(),
    types: [...new Set([...seen.types, ...next.types])].sort(),
  };
}
