import type { InsightGroup } from "@countersign/core";

const SEGMENTS = [
  { key: "human_approved", label: "approved by people", className: "seg-approved" },
  { key: "granted", label: "approved by a grant", className: "seg-granted" },
  { key: "auto_approved", label: "approved by policy", className: "seg-auto" },
  { key: "human_rejected", label: "rejected by people", className: "seg-rejected" },
  { key: "auto_rejected", label: "rejected by policy", className: "seg-auto-rejected" },
  { key: "expired", label: "expired", className: "seg-expired" },
] as const;

/** One horizontal bar: how a gate's settled pauses ended, in plain SVG with the figures as text. */
export function OutcomeBar({ group }: { group: InsightGroup }) {
  const parts = SEGMENTS.map((segment) => ({ ...segment, count: group[segment.key] })).filter(
    (part) => part.count > 0,
  );
  const total = parts.reduce((sum, part) => sum + part.count, 0);
  if (total === 0) return <p class="muted">Nothing settled yet.</p>;
  const summary = parts.map((part) => `${part.count} ${part.label}`).join(", ");
  let x = 0;
  return (
    <figure class="outcome-bar">
      <svg viewBox="0 0 100 6" preserveAspectRatio="none" role="img" aria-label={summary}>
        {parts.map((part) => {
          const width = (part.count / total) * 100;
          const rect = <rect key={part.key} class={part.className} x={x} y={0} width={width} height={6} />;
          x += width;
          return rect;
        })}
      </svg>
      <figcaption>{summary}</figcaption>
    </figure>
  );
}
