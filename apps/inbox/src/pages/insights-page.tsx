import type { InsightGroup, Insights } from "@countersign/core";
import { useEffect, useState } from "preact/hooks";
import { getJson } from "../api/http.ts";
import { OutcomeBar } from "../components/outcome-bar.tsx";
import { PageHeading } from "../components/page-heading.tsx";

const WINDOWS = ["24h", "7d", "30d", "90d"];

/** Which gates people always approve, which wait long, and what the policy could loosen. */
export function InsightsPage() {
  const [window, setWindow] = useState("30d");
  const [insights, setInsights] = useState<Insights | null>(null);
  const [error, setError] = useState("");

  useEffect(() => {
    setInsights(null);
    getJson<Insights>(`/inbox/api/insights?window=${window}`).then(
      (read) => {
        setInsights(read);
        setError("");
      },
      (caught: Error) => setError(caught.message),
    );
  }, [window]);

  return (
    <>
      <PageHeading title="Insights">Insights</PageHeading>
      <label class="insights-window">
        Over the last
        <select value={window} onChange={(event) => setWindow(event.currentTarget.value)}>
          {WINDOWS.map((value) => (
            <option key={value} value={value}>
              {value}
            </option>
          ))}
        </select>
      </label>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {insights === null && !error && <p class="muted">Loading…</p>}
      {insights && insights.groups.length === 0 && <p class="empty">No pauses in this window.</p>}
      {insights && insights.suggestions.length > 0 && (
        <section aria-labelledby="suggestions-heading">
          <h2 id="suggestions-heading">Suggestions</h2>
          <p class="muted">Policy rules to consider, with their evidence. Nothing is applied for you.</p>
          {insights.suggestions.map((suggestion) => (
            <article
              class="suggestion"
              key={`${suggestion.kind}:${suggestion.agent_id}:${suggestion.action_type}`}
            >
              <p>{suggestion.summary}</p>
              <pre>
                <code>{suggestion.policy_snippet}</code>
              </pre>
            </article>
          ))}
        </section>
      )}
      {insights?.groups.map((group) => (
        <GateInsight key={`${group.agent_id}:${group.action_type}`} group={group} />
      ))}
    </>
  );
}

function GateInsight({ group }: { group: InsightGroup }) {
  const { p50, p90, count } = group.time_to_decision_seconds;
  return (
    <section class="gate-insight" aria-label={`${group.agent_id} · ${group.action_type}`}>
      <h2>
        {group.agent_id} · {group.action_type}
      </h2>
      <p>
        {group.volume} opened{group.pending > 0 && `, ${group.pending} pending`}
        {group.overrides > 0 && `, ${group.overrides} admin overrides`}
      </p>
      <OutcomeBar group={group} />
      <p>
        {count === 0
          ? "No decisions by people yet."
          : `People decided in ${duration(p50)} (median), ${duration(p90)} (p90), over ${count} decisions.`}
      </p>
      {group.top_denial_reasons.length > 0 && (
        <>
          <h3>Why people said no</h3>
          <ol class="denial-reasons">
            {group.top_denial_reasons.map((denial) => (
              <li key={denial.reason}>
                {denial.reason} <span class="muted">×{denial.count}</span>
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}

function duration(seconds: number | null): string {
  if (seconds === null) return "—";
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}
