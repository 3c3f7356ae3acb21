import type { Pause } from "@countersign/core";

export type SortOrder = "urgent" | "newest";

export interface PauseFilter {
  agent: string;
  type: string;
  risk: string;
}

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

/** An empty filter field matches everything. */
export function filterPauses(pauses: readonly Pause[], filter: PauseFilter): Pause[] {
  return pauses.filter(
    (pause) =>
      (filter.agent === "" || pause.agent_id === filter.agent) &&
      (filter.type === "" || pause.action.type === filter.type) &&
      (filter.risk === "" || (pause.action.risk ?? "unspecified") === filter.risk),
  );
}

/** The agents and action types present, for the filter menus. */
export function facets(pauses: readonly Pause[]): { agents: string[]; types: string[] } {
  const agents = new Set(pauses.map((pause) => pause.agent_id));
  const types = new Set(pauses.map((pause) => pause.action.type));
  return { agents: [...agents].sort(), types: [...types].sort() };
}

/** The pause's title, else its description's first line, else its type. */
export function pauseTitle(pause: Pause): string {
  return pause.action.title?.trim() || pause.action.description?.split("\n")[0]?.trim() || pause.action.type;
}
