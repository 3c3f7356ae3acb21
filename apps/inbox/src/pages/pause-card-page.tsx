import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, getJson } from "../api/http.ts";
import { onPauseChanged, onReconnected } from "../api/live-updates.ts";
import type { InboxGrant, InboxPauseView } from "../api/types.ts";
import { announce } from "../components/announcer.tsx";
import { ArgumentsView } from "../components/arguments-view.tsx";
import { DecidedPanel } from "../components/decided-panel.tsx";
import { DecisionPanel } from "../components/decision-panel.tsx";
import { MarkdownView } from "../components/markdown-view.tsx";
import { PageHeading } from "../components/page-heading.tsx";
import { RiskBadge } from "../components/risk-badge.tsx";
import { StatusBadge } from "../components/status-badge.tsx";
import { effectiveRisk } from "../lib/decision-confirmation.ts";
import { formatDateTime, timeAgo } from "../lib/format-time.ts";
import { pauseTitle } from "../lib/pause-order.ts";
import { Link } from "../router.tsx";
import { useNow } from "../use-now.ts";

/** One pause as a card: what, why, who asked, the exact arguments, and the decision. */
export function PauseCardPage({ pauseId }: { pauseId: string }) {
  const [view, setView] = useState<InboxPauseView | null>(null);
  const [error, setError] = useState("");
  const [notice, setNotice] = useState("");
  const [granted, setGranted] = useState<InboxGrant | null>(null);
  const now = useNow();
  const shown = useRef<InboxPauseView | null>(null);
  shown.current = view;
  const path = `/inbox/api/pauses/${encodeURIComponent(pauseId)}`;

  useEffect(() => {
    setView(null);
    setNotice("");
    setGranted(null);
    getJson<InboxPauseView>(`${path}?view=1`).then(setView, (caught: unknown) =>
      setError(
        caught instanceof ApiError && caught.status === 404
          ? "There is no such pause."
          : String((caught as Error).message),
      ),
    );
    const refresh = () => getJson<InboxPauseView>(path).then(setView, () => {});
    const stopChanges = onPauseChanged((pause) => {
      if (pause.pause_id !== pauseId) return;
      const current = shown.current;
      // Decided elsewhere while this card was open: say so, then show the outcome.
      if (
        current?.pause.status === "pending" &&
        pause.status !== "pending" &&
        pause.decision?.decided_by.id !== current.viewer.identity
      ) {
        const message = decidedElsewhere(
          pause.status,
          pause.decision?.decided_by.id,
          pause.decision?.decided_at,
        );
        setNotice(message);
        announce(message);
      }
      void refresh();
    });
    const stopReconnect = onReconnected(() => void refresh());
    return () => {
      stopChanges();
      stopReconnect();
    };
  }, [pauseId, path]);

  if (error) {
    return (
      <>
        <PageHeading title="Pause">Pause not available</PageHeading>
        <p role="alert">{error}</p>
        <Link href="/">Back to the inbox</Link>
      </>
    );
  }
  if (!view) return <p class="muted">Loading…</p>;
  const { pause } = view;
  const title = pauseTitle(pause);
  const rule = typeof view.routing?.rule === "string" ? view.routing.rule : null;
  return (
    <article class="card" aria-labelledby="card-title">
      <Link href="/" class="back">
        ← All pauses
      </Link>
      <div class="badges">
        <RiskBadge risk={effectiveRisk(pause, view.routing)} />
        <StatusBadge pause={pause} now={now} />
      </div>
      <div id="card-title">
        <PageHeading title={title}>{title}</PageHeading>
      </div>
      <p class="meta">
        <span class="type">{pause.action.type}</span> · <strong>{pause.agent_id}</strong> asked{" "}
        <time dateTime={pause.created_at}>{timeAgo(pause.created_at, now)}</time>
      </p>
      {notice && (
        <p class="notice" data-testid="card-notice">
          {notice}
        </p>
      )}
      {granted && (
        <p class="notice" data-testid="granted-notice">
          You also granted {granted.action_type} by {granted.agent_ids.join(", ")}
          {granted.conditions.length > 0 && ` when ${granted.conditions.join(" and ")}`} until{" "}
          {formatDateTime(granted.expires_at)}. <Link href="/inbox/grants">See your grants</Link>
        </p>
      )}
      {pause.action.description && pause.action.description !== title && (
        <p class="description">{pause.action.description}</p>
      )}
      {pause.action.body && (
        <section aria-labelledby="preview-heading">
          <h2 id="preview-heading">Preview</h2>
          <MarkdownView source={pause.action.body} />
        </section>
      )}
      <section aria-labelledby="arguments-heading">
        <h2 id="arguments-heading">Arguments</h2>
        <ArgumentsView data={pause.action.data} label="Requested arguments" />
      </section>
      {pause.status === "pending" ? (
        <DecisionPanel
          view={view}
          onDecided={(next, grant) => {
            setView(next);
            if (grant) setGranted(grant);
            announce(
              next.pause.status === "pending" ? "Your approval is recorded." : `You ${next.pause.status} it.`,
            );
          }}
          onAlreadyDecided={(next) => {
            const message = alreadyDecided(next);
            setNotice(message);
            announce(message);
            setView(next);
          }}
        />
      ) : (
        <DecidedPanel view={view} />
      )}
      <section aria-labelledby="details-heading">
        <h2 id="details-heading">Details</h2>
        <dl class="key-values compact">
          <Detail term="Requested by">
            {pause.agent_id}
            {view.requested_by ? ` (key of ${view.requested_by})` : ""}
          </Detail>
          <Detail term="Asked at">
            <time dateTime={pause.created_at}>{formatDateTime(pause.created_at)}</time>
          </Detail>
          <Detail term="Expires at">
            <time dateTime={pause.expires_at}>{formatDateTime(pause.expires_at)}</time>
          </Detail>
          <Detail term="Routed by">
            {rule ? `policy rule "${rule}"` : "no policy rule (every approver may decide)"}
          </Detail>
          {pause.recipients.length > 0 && (
            <Detail term="Sent to">
              {pause.recipients.map((recipient) => `${recipient.channel}: ${recipient.target}`).join(", ")}
            </Detail>
          )}
          {view.approvals.length > 0 && (
            <Detail term="Approvals so far">{view.approvals.map((vote) => vote.identity).join(", ")}</Detail>
          )}
          <Detail term="Pause id">
            <code>{pause.pause_id}</code>
          </Detail>
        </dl>
      </section>
    </article>
  );
}

function Detail({ term, children }: { term: string; children: ComponentChildren }) {
  return (
    <div class="key-value">
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function alreadyDecided(view: InboxPauseView): string {
  const decision = view.pause.decision;
  if (!decision) return `Already ${view.pause.status}.`;
  return `Already decided by ${decision.decided_by.id} at ${formatDateTime(decision.decided_at)} (${view.pause.status}).`;
}

function decidedElsewhere(status: string, by: string | undefined, at: string | undefined): string {
  return `This pause was just ${status}${by ? ` by ${by}` : ""}${at ? ` at ${formatDateTime(at)}` : ""}.`;
}
