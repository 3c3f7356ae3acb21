import type { InsightGroup } from "../../protocol/insights.ts";
import type { PauseRecord } from "../../store/records.ts";

const TOP_REASONS = 5;

/** Groups pauses by agent × action type and measures each group (pure: the caller reads the pauses). */
export function computeInsightGroups(pauses: readonly PauseRecord[]): InsightGroup[] {
  const groups = new Map<string, PauseRecord[]>();
  for (const pause of pauses) {
    const key = `${pause.agentId}\u0000${pause.action.type}`;
    const list = groups.get(key);
    if (list) list.push(pause);
    else groups.set(key, [pause]);
  }
  return [...groups.values()]
    .map(measure)
    .sort(
      (left, right) =>
        right.volume - left.volume ||
        left.agent_id.localeCompare(right.agent_id) ||
        left.action_type.localeCompare(right.action_type),
    );
}

function measure(pauses: PauseRecord[]): InsightGroup {
  const first = pauses[0]!;
  const count = (test: (pause: PauseRecord) => boolean) => pauses.filter(test).length;
  const kind = (pause: PauseRecord) => pause.decision?.decided_by.kind;
  const approved = count((pause) => pause.status === "approved");
  const rejected = count((pause) => pause.status === "rejected");
  const expired = count((pause) => pause.status === "expired");
  const cancelled = count((pause) => pause.status === "cancelled");
  const pending = count((pause) => pause.status === "pending");
  const autoApproved = count((pause) => pause.status === "approved" && kind(pause) === "policy");
  const granted = count((pause) => pause.status === "approved" && kind(pause) === "grant");
  const settled = pauses.length - pending;
  const rate = (value: number) => (settled === 0 ? 0 : round(value / settled));
  const humanDecided = pauses.filter((pause) => kind(pause) === "human" && pause.decision !== null);
  const waits = humanDecided
    .map((pause) => (Date.parse(pause.decision!.decided_at) - Date.parse(pause.createdAt)) / 1000)
    .sort((left, right) => left - right);
  return {
    agent_id: first.agentId,
    action_type: first.action.type,
    volume: pauses.length,
    pending,
    approved,
    rejected,
    expired,
    cancelled,
    auto_approved: autoApproved,
    auto_rejected: count((pause) => pause.status === "rejected" && kind(pause) === "policy"),
    granted,
    human_approved: humanDecided.filter((pause) => pause.status === "approved").length,
    human_rejected: humanDecided.filter((pause) => pause.status === "rejected").length,
    overrides: count((pause) => (pause.proof as Record<string, unknown> | null)?.override === true),
    rates: {
      approved: rate(approved),
      rejected: rate(rejected),
      expired: rate(expired),
      auto_approved: rate(autoApproved),
      granted: rate(granted),
    },
    time_to_decision_seconds: {
      p50: percentile(waits, 0.5),
      p90: percentile(waits, 0.9),
      count: waits.length,
    },
    top_denial_reasons: topReasons(humanDecided.filter((pause) => pause.status === "rejected")),
    grants_used: grantsUsed(pauses),
  };
}

/** Nearest-rank percentile of sorted values; null when there are none. */
export function percentile(sorted: readonly number[], fraction: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil(fraction * sorted.length));
  return round(sorted[rank - 1]!);
}

function topReasons(rejections: PauseRecord[]): InsightGroup["top_denial_reasons"] {
  const counts = new Map<string, { reason: string; count: number }>();
  // Oldest first: a group is shown as it was first written.
  const oldestFirst = [...rejections].sort((left, right) => left.createdAt.localeCompare(right.createdAt));
  for (const pause of oldestFirst) {
    const reason = pause.decision?.reason?.trim().replace(/\s+/g, " ") || "(no reason given)";
    const key = reason.toLowerCase().replace(/[.!]+$/, "");
    const entry = counts.get(key);
    if (entry) entry.count++;
    else counts.set(key, { reason, count: 1 });
  }
  return [...counts.values()]
    .sort((left, right) => right.count - left.count || left.reason.localeCompare(right.reason))
    .slice(0, TOP_REASONS);
}

function grantsUsed(pauses: PauseRecord[]): InsightGroup["grants_used"] {
  const uses = new Map<string, { grant_id: string; granted_by: string; count: number }>();
  for (const pause of pauses) {
    const decider = pause.decision?.decided_by;
    if (decider?.kind !== "grant" || typeof decider.grant_id !== "string") continue;
    const entry = uses.get(decider.grant_id);
    if (entry) entry.count++;
    else
      uses.set(decider.grant_id, {
        grant_id: decider.grant_id,
        granted_by: String(decider.granted_by),
        count: 1,
      });
  }
  return [...uses.values()].sort((left, right) => right.count - left.count);
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
