import type { Risk } from "@countersign/core";

/** The risk as a word, never colour alone. */
export function RiskBadge({ risk }: { risk: Risk | undefined }) {
  if (!risk) return <span class="badge badge-unspecified">risk not stated</span>;
  return <span class={`badge badge-${risk}`}>{risk} risk</span>;
}
