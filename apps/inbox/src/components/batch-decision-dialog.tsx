import type { Pause } from "@countersign/core";
import { useState } from "preact/hooks";
import { amountOf, counted, summarizeBatch } from "../lib/batch-summary.ts";
import { pauseTitle } from "../lib/pause-order.ts";
import { ConfirmDialog } from "./confirm-dialog.tsx";
import { RejectReasonPresets } from "./reject-reason-presets.tsx";

interface BatchDecisionDialogProps {
  decision: "approve" | "reject";
  /** The selected pauses, in list order. */
  pauses: readonly Pause[];
  /** The pauses still included (none vetoed), and the reason when rejecting. */
  onConfirm: (pauses: Pause[], reason: string | undefined) => void;
  onCancel: () => void;
}

/**
 * The summary before deciding many pauses: how many, of which kinds, for how
 * much, from how many agents, and each pause with a box to leave it out. A
 * rejection takes one reason, recorded with each decision.
 */
export function BatchDecisionDialog({ decision, pauses, onConfirm, onCancel }: BatchDecisionDialogProps) {
  const [vetoed, setVetoed] = useState<ReadonlySet<string>>(new Set());
  const [reason, setReason] = useState("");
  const [tried, setTried] = useState(false);
  const included = pauses.filter((pause) => !vetoed.has(pause.pause_id));
  const summary = summarizeBatch(included, navigator.language);
  const verb = decision === "approve" ? "Approve" : "Reject";
  const reasonMissing = decision === "reject" && reason.trim() === "";

  const toggle = (pauseId: string, include: boolean) =>
    setVetoed((current) => {
      const next = new Set(current);
      if (include) next.delete(pauseId);
      else next.add(pauseId);
      return next;
    });

  return (
    <ConfirmDialog
      title={`${verb} ${counted(included.length, "pause")}?`}
      confirmLabel={`Yes, ${verb.toLowerCase()} ${included.length}`}
      tone={decision}
      confirmDisabled={included.length === 0}
      describedBy="batch-summary"
      onCancel={onCancel}
      onConfirm={() => {
        setTried(true);
        if (included.length === 0 || reasonMissing) return;
        onConfirm(included, decision === "reject" ? reason.trim() : undefined);
      }}
    >
      {included.length === 0 ? (
        <p id="batch-summary">Every pause is left out: nothing to {verb.toLowerCase()}.</p>
      ) : (
        <ul id="batch-summary" class="batch-summary" data-testid="batch-summary">
          <li>
            <strong>{summary.count}</strong>: {summary.types}
          </li>
          {summary.totals.map((total) => (
            <li key={total}>{total}</li>
          ))}
          <li>
            from {summary.agents}
            {summary.agentIds.length <= 3 && ` (${summary.agentIds.join(", ")})`}
          </li>
        </ul>
      )}
      <fieldset class="batch-items">
        <legend>Untick any to leave it out</legend>
        <ul>
          {pauses.map((pause) => (
            <li key={pause.pause_id}>
              <label>
                <input
                  type="checkbox"
                  checked={!vetoed.has(pause.pause_id)}
                  onChange={(event) => toggle(pause.pause_id, event.currentTarget.checked)}
                />
                <span>
                  <span class="batch-item-title">{pauseTitle(pause)}</span>
                  <span class="muted">
                    {" "}
                    {[pause.action.type, pause.agent_id, amountOf(pause, navigator.language)]
                      .filter(Boolean)
                      .join(" · ")}
                  </span>
                </span>
              </label>
            </li>
          ))}
        </ul>
      </fieldset>
      {decision === "reject" && (
        <div class="decision-form">
          <RejectReasonPresets reason={reason} onPick={setReason} />
          <label for="batch-reject-reason">Reason for all of them (required; each agent sees it)</label>
          <textarea
            id="batch-reject-reason"
            rows={3}
            maxLength={2000}
            required
            value={reason}
            aria-invalid={tried && reasonMissing}
            aria-describedby={tried && reasonMissing ? "batch-reason-error" : undefined}
            onInput={(event) => setReason(event.currentTarget.value)}
          />
          {tried && reasonMissing && (
            <p id="batch-reason-error" class="field-error">
              Say why you reject them.
            </p>
          )}
        </div>
      )}
      <p class="muted">
        Each pause is decided on its own, as if you opened it: any you may no longer decide is refused and
        says why.
      </p>
    </ConfirmDialog>
  );
}
