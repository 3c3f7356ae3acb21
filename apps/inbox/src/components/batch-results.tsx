import type { BatchDecisionItem, Pause } from "@countersign/core";
import { useEffect, useRef } from "preact/hooks";
import { counted } from "../lib/batch-summary.ts";
import { pauseTitle } from "../lib/pause-order.ts";

export interface BatchOutcome {
  decision: "approve" | "reject";
  /** One per pause sent, in order, with the pause as the list showed it. */
  items: { pause: Pause; result: BatchDecisionItem }[];
}

/** What became of each pause of a batch: decided, counted toward a quorum, or refused with the server's reason. */
export function BatchResults({ outcome, onDismiss }: { outcome: BatchOutcome; onDismiss: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  // Keyboard and screen reader users land on the outcome, not back at the top of the page.
  useEffect(() => heading.current?.focus(), [outcome]);
  const refused = outcome.items.filter((item) => item.result.error !== undefined).length;
  const decided = outcome.items.length - refused;
  return (
    <section class="batch-results" aria-labelledby="batch-results-heading" data-testid="batch-results">
      <h2 id="batch-results-heading" tabIndex={-1} ref={heading}>
        {outcome.decision === "approve" ? "Approved" : "Rejected"} {decided} of{" "}
        {counted(outcome.items.length, "pause")}
        {refused > 0 && `, ${refused} refused`}
      </h2>
      <ul>
        {outcome.items.map(({ pause, result }) => (
          <li key={pause.pause_id} class={result.error ? "refused" : "decided"}>
            <span class="batch-item-title">{pauseTitle(pause)}</span>
            {": "}
            {describe(outcome.decision, result)}
          </li>
        ))}
      </ul>
      <div class="actions">
        <button type="button" class="button secondary" onClick={onDismiss}>
          Done
        </button>
      </div>
    </section>
  );
}

function describe(decision: "approve" | "reject", result: BatchDecisionItem): string {
  if (result.error) return `refused: ${result.error.detail}`;
  if (result.status === "pending") return "your approval is recorded; it waits for more approvers";
  return decision === "approve" ? "approved" : "rejected";
}
