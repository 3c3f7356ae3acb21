import type { InsightGroup, InsightSuggestion, Insights } from "@countersign/core";
import type { CliCommand, OptionTable } from "../cli/cli-command.ts";
import { parseOptions } from "../parse-options.ts";
import { SERVER_API_OPTIONS, serverApi } from "../server-api.ts";
import { UsageError } from "../usage-error.ts";

const INSIGHT_OPTIONS = {
  window: { type: "string", value: "DURATION", description: "how far back, e.g. 7d, 24h (default 30d)" },
  json: { type: "boolean", description: "the insights as JSON (GET /v1/insights)" },
  jsonl: { type: "boolean", description: "one JSON line per denial" },
  mask: {
    type: "string",
    multiple: true,
    value: "FIELD",
    description: "a field of action.data to replace with [masked] (repeatable; dots for nested)",
  },
  ...SERVER_API_OPTIONS,
} as const satisfies OptionTable;

/** `countersign insights`: how every gate fares, through the running server. */
export const insightsCommand: CliCommand = {
  name: "insights",
  summary: "How every gate fares, per agent and action type, with suggested policy rules",
  description:
    "Volume, approved/rejected/expired/auto-approved/granted shares, people's time to decision (p50/p90), top denial reasons and grant usage over a window, then policy rules to consider (never applied). An approver or admin key.",
  arguments: [
    { name: "denials", description: "instead: every denial as JSON Lines (--jsonl), an admin key" },
  ],
  options: INSIGHT_OPTIONS,
  run: runInsights,
};

/** `countersign insights`: a table (or `--json`) of `GET /v1/insights`; `insights denials --jsonl` for eval work. */
export async function runInsights(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(args, INSIGHT_OPTIONS);
  const [action] = positionals;
  if (action !== undefined && action !== "denials") {
    throw new UsageError(`insights takes no ${action}; did you mean insights denials?`);
  }
  const window = encodeURIComponent(values.window ?? "30d");
  const api = serverApi(values);
  if (action === "denials") {
    if (!values.jsonl) throw new UsageError("insights denials writes JSON lines: add --jsonl");
    const mask = values.mask?.length ? `&mask=${encodeURIComponent(values.mask.join(","))}` : "";
    const list = await api.request("GET", `/v1/insights/denials?window=${window}${mask}`);
    if (list === null) return 1;
    for (const denial of list.data as unknown[]) process.stdout.write(`${JSON.stringify(denial)}\n`);
    return 0;
  }
  const insights = (await api.request("GET", `/v1/insights?window=${window}`)) as Insights | null;
  if (insights === null) return 1;
  process.stdout.write(values.json ? `${JSON.stringify(insights, null, 2)}\n` : renderInsights(insights));
  return 0;
}

/** The insights as a table, then each suggestion with its policy snippet. */
export function renderInsights(insights: Insights): string {
  const header = [
    "agent",
    "action",
    "volume",
    "approved",
    "rejected",
    "expired",
    "auto",
    "granted",
    "p50",
    "p90",
  ];
  const rows = insights.groups.map((group) => row(group));
  const widths = header.map((title, index) =>
    Math.max(title.length, ...rows.map((cells) => cells[index]!.length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, index) => (index < 2 ? cell.padEnd(widths[index]!) : cell.padStart(widths[index]!)))
      .join("  ");
  const out = [`Insights for the last ${insights.window} (since ${insights.since})`, ""];
  if (rows.length === 0) out.push("No pauses in this window.");
  else out.push(line(header), ...rows.map(line));
  for (const group of insights.groups) {
    if (group.top_denial_reasons.length === 0) continue;
    const reasons = group.top_denial_reasons.map((entry) => `${entry.reason} (${entry.count})`).join("; ");
    out.push("", `Denials, ${group.agent_id} ${group.action_type}: ${reasons}`);
  }
  for (const suggestion of insights.suggestions) out.push("", ...renderSuggestion(suggestion));
  return `${out.join("\n")}\n`;
}

function row(group: InsightGroup): string[] {
  const percent = (value: number) => `${Math.round(value * 100)}%`;
  const wait = (value: number | null) => (value === null ? "-" : `${Math.round(value)}s`);
  return [
    group.agent_id,
    group.action_type,
    String(group.volume),
    percent(group.rates.approved),
    percent(group.rates.rejected),
    percent(group.rates.expired),
    percent(group.rates.auto_approved),
    percent(group.rates.granted),
    wait(group.time_to_decision_seconds.p50),
    wait(group.time_to_decision_seconds.p90),
  ];
}

function renderSuggestion(suggestion: InsightSuggestion): string[] {
  return [
    `Suggestion: ${suggestion.summary}`,
    ...suggestion.policy_snippet
      .trimEnd()
      .split("\n")
      .map((text) => `    ${text}`),
  ];
}
