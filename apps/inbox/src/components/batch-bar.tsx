import { counted } from "../lib/batch-summary.ts";

interface BatchBarProps {
  selected: number;
  busy: boolean;
  onApprove: () => void;
  onReject: () => void;
  onClear: () => void;
}

/** Pinned to the bottom of the list while pauses are selected: what to do with all of them. */
export function BatchBar({ selected, busy, onApprove, onReject, onClear }: BatchBarProps) {
  return (
    <section class="batch-bar" aria-label="Selected pauses" data-testid="batch-bar">
      <p class="batch-bar-count" aria-live="polite">
        {counted(selected, "pause")} selected
      </p>
      <div class="actions">
        <button type="button" class="button approve" disabled={busy} onClick={onApprove}>
          Approve selected
        </button>
        <button type="button" class="button reject" disabled={busy} onClick={onReject}>
          Reject selected…
        </button>
        <button type="button" class="button secondary" disabled={busy} onClick={onClear}>
          Clear
        </button>
      </div>
    </section>
  );
}
