import type { InsightGroup, InsightSuggestion } from "../../protocol/insights.ts";
import type { PauseRecord } from "../../store/records.ts";

export interface SuggestionThresholds {
  /** People's approvals without a single rejection before a gate counts as a rubber stamp. Default 20. */
  minApprovals: number;
  /** A median wait for people (seconds) above which a gate counts as slow. Default 900. */
  slowSeconds: number;
}

export const DEFAULT_THRESHOLDS: SuggestionThresholds = { minApprovals: 20, slowSeconds: 900 };

/**
 * Policy changes worth a look, each with its evidence and a YAML rule to copy:
 * a gate people always approve (loosen it: sample it or auto-approve it, up
 * to the largest amount they approved), and a gate that waits long for people
 * (name an approver, escalate). Never applied by the server.
 */
export function suggestPolicy(
  groups: readonly InsightGroup[],
  pauses: readonly PauseRecord[],
  window: string,
  thresholds: SuggestionThresholds = DEFAULT_THRESHOLDS,
): InsightSuggestion[] {
  const suggestions: InsightSuggestion[] = [];
  for (const group of groups) {
    const own = pauses.filter(
      (pause) => pause.agentId === group.agent_id && pause.action.type === group.action_type,
    );
    const p50 = group.time_to_decision_seconds.p50;
    if (
      group.human_approved >= thresholds.minApprovals &&
      group.human_rejected === 0 &&
      group.expired === 0
    ) {
      suggestions.push(loosen(group, own, window));
    }
    if (p50 !== null && group.time_to_decision_seconds.count >= 5 && p50 > thresholds.slowSeconds) {
      suggestions.push(speedUp(group, own, window, p50));
    }
  }
  return suggestions;
}

function loosen(group: InsightGroup, pauses: readonly PauseRecord[], window: string): InsightSuggestion {
  const approved = pauses.filter(
    (pause) => pause.status === "approved" && pause.decision?.decided_by.kind === "human",
  );
  const bound = numericBound(approved);
  const median = group.time_to_decision_seconds.p50;
  const scope = bound ? ` with ${bound.field} ≤ ${bound.max}` : "";
  const summary = `${group.action_type}${scope} from ${group.agent_id}: ${group.human_approved} approved, 0 denied, median decision ${seconds(median)} in ${window} → consider sample: 0.05 or auto_approve`;
  const rule = {
    name: ruleName("sample", group),
    agent_id: group.agent_id,
    action_type: group.action_type,
    ...(bound && { when: [`${bound.field} <= ${bound.max}`] }),
    outcome: "sample",
    sample: { rate: 0.05 },
  };
  const lines = [
    `# ${summary}`,
    `- name: ${rule.name}`,
    `  agent_id: ${JSON.stringify(group.agent_id)}`,
    `  action_type: ${JSON.stringify(group.action_type)}`,
    ...(bound ? [`  when: [${JSON.stringify(`${bound.field} <= ${bound.max}`)}]`] : []),
    "  outcome: sample          # or: auto_approve",
    "  sample: { rate: 0.05 }",
  ];
  return {
    kind: "loosen",
    agent_id: group.agent_id,
    action_type: group.action_type,
    summary,
    evidence: {
      window,
      human_approved: group.human_approved,
      human_rejected: 0,
      expired: 0,
      median_decision_seconds: median,
      ...(bound && { largest_approved: { [bound.field]: bound.max } }),
    },
    policy_rule: rule,
    policy_snippet: `${lines.join("\n")}\n`,
  };
}

function speedUp(
  group: InsightGroup,
  pauses: readonly PauseRecord[],
  window: string,
  p50: number,
): InsightSuggestion {
  const deciders = new Map<string, number>();
  for (const pause of pauses) {
    if (pause.decision?.decided_by.kind !== "human") continue;
    const id = pause.decision.decided_by.id;
    deciders.set(id, (deciders.get(id) ?? 0) + 1);
  }
  const top = [...deciders.entries()].sort((left, right) => right[1] - left[1])[0]?.[0] ?? null;
  const summary = `${group.action_type} from ${group.agent_id} waits a median of ${seconds(p50)} for people in ${window} → consider a named approver or escalation`;
  const rule = {
    name: ruleName("route", group),
    agent_id: group.agent_id,
    action_type: group.action_type,
    outcome: "require",
    ...(top && { approvers: [top] }),
    escalate: { after: "15m", to: ["group:oncall"] },
  };
  const lines = [
    `# ${summary}`,
    `- name: ${rule.name}`,
    `  agent_id: ${JSON.stringify(group.agent_id)}`,
    `  action_type: ${JSON.stringify(group.action_type)}`,
    "  outcome: require",
    ...(top ? [`  approvers: [${JSON.stringify(top)}]   # decided most of them`] : []),
    '  escalate: { after: "15m", to: ["group:oncall"] }   # name your on-call group',
  ];
  return {
    kind: "speed_up",
    agent_id: group.agent_id,
    action_type: group.action_type,
    summary,
    evidence: {
      window,
      median_decision_seconds: p50,
      p90_decision_seconds: group.time_to_decision_seconds.p90,
      human_decisions: group.time_to_decision_seconds.count,
      ...(top && { most_frequent_decider: top }),
    },
    policy_rule: rule,
    policy_snippet: `${lines.join("\n")}\n`,
  };
}

/** The largest value people approved of `amount` (else another numeric field every approval has). */
function numericBound(pauses: readonly PauseRecord[]): { field: string; max: number } | null {
  if (pauses.length === 0) return null;
  const fields = Object.keys(pauses[0]!.action.data ?? {}).filter((field) =>
    pauses.every((pause) => {
      const value = pause.action.data?.[field];
      return typeof value === "number" && Number.isFinite(value);
    }),
  );
  const field = fields.includes("amount") ? "amount" : fields[0];
  if (field === undefined) return null;
  return { field, max: Math.max(...pauses.map((pause) => pause.action.data![field] as number)) };
}

function ruleName(prefix: string, group: InsightGroup): string {
  return `${prefix}-${group.agent_id}-${group.action_type}`.replace(/[^\w.:-]+/g, "-").slice(0, 100);
}

function seconds(value: number | null): string {
  if (value === null) return "n/a";
  if (value < 120) return `${Math.round(value)} s`;
  if (value < 7200) return `${Math.round(value / 60)} min`;
  return `${Math.round(value / 3600)} h`;
}
