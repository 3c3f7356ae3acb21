import { parseDuration } from "../../policy/duration.ts";
import type { Insights } from "../../protocol/insights.ts";
import type { Store } from "../../store/store.ts";
import { computeInsightGroups } from "./compute-insights.ts";
import { pausesInWindow } from "./pauses-in-window.ts";
import { suggestPolicy } from "./suggest-policy.ts";

/** The insights over `window` (`30d`, `24h`) up to `now`: what `GET /v1/insights` answers, and the inbox shows. */
export async function insightsReport(store: Store, now: Date, window: string): Promise<Insights> {
  const seconds = parseDuration(window);
  if (seconds === null) throw new TypeError(`not a duration: ${window}`);
  const from = new Date(now.getTime() - seconds * 1000).toISOString();
  const { pauses } = await pausesInWindow(store, from);
  const groups = computeInsightGroups(pauses);
  return {
    object: "insights",
    window,
    since: from,
    until: now.toISOString(),
    groups,
    suggestions: suggestPolicy(groups, pauses, window),
  };
}
