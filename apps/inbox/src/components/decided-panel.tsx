import type { InboxPauseView } from "../api/types.ts";
import { formatDateTime } from "../lib/format-time.ts";
import { ArgumentsView } from "./arguments-view.tsx";
import { ProofCheckView } from "./proof-check-view.tsx";

const OUTCOME: Record<string, string> = {
  approved: "Approved",
  rejected: "Rejected",
  expired: "Expired (counts as rejected)",
  cancelled: "Cancelled by the agent",
};

/** Who decided, when and why, the arguments approved, and the proof. */
export function DecidedPanel({ view }: { view: InboxPauseView }) {
  const { pause } = view;
  const decision = pause.decision;
  const by = decision?.decided_by;
  return (
    <section class={`decided decided-${pause.status}`} aria-labelledby="decided-heading">
      <h2 id="decided-heading">{OUTCOME[pause.status] ?? pause.status}</h2>
      {decision && by && (
        <p data-testid="decided-by">
          {by.kind === "human" && (
            <>
              by <strong>{by.id}</strong>
              {by.on_behalf_of && (
                <>
                  {" "}
                  on behalf of <strong>{by.on_behalf_of}</strong>
                </>
              )}
              {by.channel ? ` via ${by.channel}` : ""}
            </>
          )}
          {by.kind === "policy" && (
            <>
              by policy rule <strong>{by.rule ?? by.id}</strong>
            </>
          )}
          {by.kind === "grant" && (
            <>
              by a standing grant of <strong>{String(by.granted_by ?? by.id)}</strong>
            </>
          )}
          {by.kind === "timeout" && "nobody decided in time"}
          {by.kind === "agent" && <>by {by.id}</>}
          {" · "}
          <time dateTime={decision.decided_at}>{formatDateTime(decision.decided_at)}</time>
        </p>
      )}
      {decision?.reason && (
        <blockquote class="reason" data-testid="decision-reason">
          {decision.reason}
        </blockquote>
      )}
      {decision?.data && (
        <>
          <h3>Approved with edited arguments</h3>
          <ArgumentsView data={decision.data} label="Approved arguments" />
        </>
      )}
      <ProofCheckView pause={pause} />
    </section>
  );
}
