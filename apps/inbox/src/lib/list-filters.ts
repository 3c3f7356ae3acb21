import type { Pause } from "@countersign/core";

/** The list's filters as the URL carries them (`?q=&agent=&type=&risk=`); empty means "any". */
export interface ListFilters {
  q: string;
  agent: string;
  type: string;
  risk: string;
}

export type ListTab = "pending" | "decided";

export const NO_FILTERS: ListFilters = { q: "", agent: "", type: "", risk: "" };

export function readFilters(search: URLSearchParams): ListFilters {
  return {
    q: search.get("q")?.trim() ?? "",
    agent: search.get("agent") ?? "",
    type: search.get("type") ?? "",
    risk: search.get("risk") ?? "",
  };
}

export function hasFilters(filters: ListFilters): boolean {
  return Object.values(filters).some((value) => value !== "");
}

/** The inbox API query for one page of this tab under these filters. */
export function pauseListQuery(tab: ListTab, filters: ListFilters, cursor?: string): string {
  const query = new URLSearchParams({ status: tab });
  if (filters.q) query.set("q", filters.q);
  if (filters.agent) query.set("agent_id", filters.agent);
  if (filters.type) query.set("action_type", filters.type);
  if (filters.risk) query.set("risk", filters.risk);
  if (cursor) query.set("cursor", cursor);
  return query.toString();
}

/** The active filters in words, for the empty state: `matching “PO-1”`, `from agent billing-agent`, … */
export function describeFilters(filters: ListFilters): string[] {
  return [
    filters.q && `matching “${filters.q}”`,
    filters.agent && `from agent ${filters.agent}`,
    filters.type && `of type ${filters.type}`,
    filters.risk && (filters.risk === "unspecified" ? "with no stated risk" : `at ${filters.risk} risk`),
  ].filter((part) => part !== "");
}

/**
 * Whether a pause that changed live belongs in the filtered list. The server
 * decides what a page holds; this mirrors its search (ids, agent, type, title,
 * description and any string or number in the arguments) for live updates only.
 */
export function matchesFilters(pause: Pause, filters: ListFilters): boolean {
  if (filters.agent && pause.agent_id !== filters.agent) return false;
  if (filters.type && pause.action.type !== filters.type) return false;
  if (filters.risk && (pause.action.risk ?? "unspecified") !== filters.risk) return false;
  if (!filters.q) return true;
  const needle = filters.q.toLowerCase();
  const texts = [
    pause.pause_id,
    pause.agent_id,
    pause.action.type,
    pause.action.title ?? "",
    pause.action.description ?? "",
    ...argumentValues(pause.action.data),
  ];
  return texts.some((text) => text.toLowerCase().includes(needle));
}

function argumentValues(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (typeof value === "number") return [String(value)];
  if (Array.isArray(value)) return value.flatMap(argumentValues);
  if (value !== null && typeof value === "object") return Object.values(value).flatMap(argumentValues);
  return [];
}
