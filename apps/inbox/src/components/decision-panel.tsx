import type { ActionData, GrantRequest } from "@countersign/core";
import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, postJson } from "../api/http.ts";
import type { InboxGrant, InboxPauseView } from "../api/types.ts";
import { approvalNeedsConfirmation, effectiveRisk } from "../lib/decision-confirmation.ts";
import { type ArgumentChange, changedArguments, parseEditedArguments } from "../lib/edit-arguments.ts";
import { flattenArguments } from "../lib/flatten-arguments.ts";
import { pauseTitle } from "../lib/pause-order.ts";
import { ArgumentChanges } from "./argument-changes.tsx";
import { ConfirmDialog } from "./confirm-dialog.tsx";
import { GrantForm } from "./grant-form.tsx";
import { RejectReasonPresets } from "./reject-reason-presets.tsx";

interface DecisionPanelProps {
  view: InboxPauseView;
  /** The pause after this approver's decision (and the grant, when they approved similar ones too). */
  onDecided: (view: InboxPauseView, grant?: InboxGrant) => void;
  /** Someone else decided first: the pause as it now is. */
  onAlreadyDecided: (view: InboxPauseView) => void;
}

type Mode = "choose" | "reject" | "edit" | "grant";

/** What the confirm step is about to send. */
type Confirmation =
  | { kind: "approve" }
  | { kind: "edits"; data: ActionData; reason: string; changes: ArgumentChange[] };

/** Fields the risk confirmation repeats, so the approver sees what they approve without scrolling back. */
const FIELDS_IN_CONFIRMATION = 4;

/**
 * Approve, Reject (with a reason) and Approve with edits (validated JSON). On
 * a phone the three buttons stay pinned to the bottom of the screen (see
 * `.decide-bar`) however long the card is. High and critical risk approvals
 * and every approval with edits ask again in a modal dialog first.
 */
export function DecisionPanel({ view, onDecided, onAlreadyDecided }: DecisionPanelProps) {
  const { pause } = view;
  const risk = effectiveRisk(pause, view.routing);
  const [mode, setMode] = useState<Mode>("choose");
  const [confirmation, setConfirmation] = useState<Confirmation | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");
  const [grantError, setGrantError] = useState<ApiError | null>(null);

  async function decide(body: { decision: "approve" | "reject"; reason?: string; data?: ActionData }) {
    setBusy(true);
    setError("");
    try {
      onDecided(
        await postJson<InboxPauseView>(
          `/inbox/api/pauses/${encodeURIComponent(pause.pause_id)}/decision`,
          body,
        ),
      );
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === "already_decided" && caught.body.view) {
        onAlreadyDecided(caught.body.view as InboxPauseView);
      } else {
        setError(caught instanceof Error ? caught.message : String(caught));
      }
    } finally {
      setBusy(false);
    }
  }

  async function approveAndGrant(grant: GrantRequest) {
    setBusy(true);
    setGrantError(null);
    try {
      const result = await postJson<{ view: InboxPauseView; grant: InboxGrant }>(
        `/inbox/api/pauses/${encodeURIComponent(pause.pause_id)}/approve-and-grant`,
        grant,
      );
      onDecided(result.view, result.grant);
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === "already_decided" && caught.body.view) {
        onAlreadyDecided(caught.body.view as InboxPauseView);
      } else {
        setGrantError(caught instanceof ApiError ? caught : new ApiError(0, { detail: String(caught) }));
      }
    } finally {
      setBusy(false);
    }
  }

  // A grant is one person's approval: it never approves a pause that needs several, so none is offered there.
  const grantable = Number(view.routing?.approvals_required ?? 1) <= 1;

  if (!view.viewer.can_decide) {
    return <p class="notice">{view.viewer.note ?? "You cannot decide this pause."}</p>;
  }
  return (
    <section
      class={mode === "choose" ? "decide decide-bar" : "decide"}
      aria-labelledby="decide-heading"
      data-testid="decision-bar"
    >
      <h2 id="decide-heading" class="visually-hidden">
        Decide
      </h2>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {mode === "choose" && (
        <div class={grantable ? "actions decision-buttons with-grant" : "actions decision-buttons"}>
          <button
            type="button"
            class="button approve"
            disabled={busy}
            onClick={() =>
              approvalNeedsConfirmation(risk)
                ? setConfirmation({ kind: "approve" })
                : decide({ decision: "approve" })
            }
          >
            Approve
          </button>
          <button type="button" class="button reject" disabled={busy} onClick={() => setMode("reject")}>
            Reject…
          </button>
          <button type="button" class="button secondary" disabled={busy} onClick={() => setMode("edit")}>
            Approve with edits…
          </button>
          {grantable && (
            <button type="button" class="button secondary" disabled={busy} onClick={() => setMode("grant")}>
              Approve this and similar ones…
            </button>
          )}
        </div>
      )}
      {mode === "reject" && (
        <RejectForm
          busy={busy}
          onCancel={() => setMode("choose")}
          onSubmit={(reason) => decide({ decision: "reject", reason })}
        />
      )}
      {mode === "edit" && (
        <EditForm
          original={pause.action.data ?? {}}
          busy={busy}
          onCancel={() => setMode("choose")}
          onSubmit={(data, reason) =>
            setConfirmation({
              kind: "edits",
              data,
              reason,
              changes: changedArguments(pause.action.data ?? {}, data),
            })
          }
        />
      )}
      {mode === "grant" && (
        <GrantForm
          pause={pause}
          busy={busy}
          error={grantError}
          onCancel={() => {
            setGrantError(null);
            setMode("choose");
          }}
          onSubmit={(grant) => void approveAndGrant(grant)}
        />
      )}
      {confirmation?.kind === "approve" && (
        <ConfirmDialog
          title={`Approve this ${risk} risk action?`}
          confirmLabel="Yes, approve"
          tone="approve"
          onCancel={() => setConfirmation(null)}
          onConfirm={() => {
            setConfirmation(null);
            void decide({ decision: "approve" });
          }}
        >
          <p>
            <strong>{pauseTitle(pause)}</strong>
            <br />
            {pause.action.type} · asked by {pause.agent_id}
          </p>
          <ConfirmationFields data={pause.action.data} />
          <p class="muted">The agent runs it as soon as you approve.</p>
        </ConfirmDialog>
      )}
      {confirmation?.kind === "edits" && (
        <ConfirmDialog
          title="Approve with these changes?"
          confirmLabel="Yes, approve with edits"
          tone="approve"
          onCancel={() => setConfirmation(null)}
          onConfirm={() => {
            const { data, reason } = confirmation;
            setConfirmation(null);
            void decide({ decision: "approve", data, ...(reason && { reason }) });
          }}
        >
          <p>
            <strong>{pauseTitle(pause)}</strong> runs with your arguments, not the agent's:
          </p>
          <ArgumentChanges changes={confirmation.changes} />
          {confirmation.reason && <p>Note for the agent: {confirmation.reason}</p>}
        </ConfirmDialog>
      )}
    </section>
  );
}

function ConfirmationFields({ data }: { data: ActionData | undefined }) {
  const fields = flattenArguments(data ?? {});
  if (fields.length === 0) return null;
  const more = fields.length - FIELDS_IN_CONFIRMATION;
  return (
    <dl class="key-values compact" aria-label="Arguments">
      {fields.slice(0, FIELDS_IN_CONFIRMATION).map((field) => (
        <div class="key-value" key={field.path}>
          <dt>{field.path}</dt>
          <dd>{field.value}</dd>
        </div>
      ))}
      {more > 0 && <p class="muted">and {more} more fields on the card</p>}
    </dl>
  );
}

function RejectForm(props: { busy: boolean; onCancel: () => void; onSubmit: (reason: string) => void }) {
  const [reason, setReason] = useState("");
  const [tried, setTried] = useState(false);
  const form = useOpenedForm();
  const missing = reason.trim() === "";
  return (
    <form
      ref={form}
      class="decision-form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        setTried(true);
        if (!missing) props.onSubmit(reason.trim());
      }}
    >
      <RejectReasonPresets reason={reason} onPick={setReason} />
      <label for="reject-reason">Reason (required; the agent sees it)</label>
      <textarea
        id="reject-reason"
        rows={3}
        maxLength={2000}
        required
        value={reason}
        aria-invalid={tried && missing}
        aria-describedby={tried && missing ? "reject-reason-error" : undefined}
        onInput={(event) => setReason(event.currentTarget.value)}
      />
      {tried && missing && (
        <p id="reject-reason-error" class="field-error">
          Say why you reject it.
        </p>
      )}
      <div class="actions">
        <button type="submit" class="button reject" disabled={props.busy}>
          Reject
        </button>
        <button type="button" class="button secondary" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function EditForm(props: {
  original: ActionData;
  busy: boolean;
  onCancel: () => void;
  onSubmit: (data: ActionData, reason: string) => void;
}) {
  const [text, setText] = useState(() => JSON.stringify(props.original, null, 2));
  const [note, setNote] = useState("");
  const form = useOpenedForm();
  const parsed = parseEditedArguments(text);
  const changes = parsed.ok ? changedArguments(props.original, parsed.data) : [];
  return (
    <form
      ref={form}
      class="decision-form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        if (parsed.ok) props.onSubmit(parsed.data, note.trim());
      }}
    >
      <label for="edited-arguments">Arguments to run with (JSON)</label>
      <textarea
        id="edited-arguments"
        class="code-input"
        rows={Math.min(16, text.split("\n").length + 1)}
        spellcheck={false}
        value={text}
        aria-invalid={!parsed.ok}
        aria-describedby="edited-arguments-status"
        onInput={(event) => setText(event.currentTarget.value)}
      />
      <div id="edited-arguments-status" aria-live="polite">
        {!parsed.ok && <p class="field-error">{parsed.error}</p>}
        {parsed.ok && changes.length === 0 && <p class="muted">No changes yet.</p>}
        {parsed.ok && changes.length > 0 && <ArgumentChanges changes={changes} />}
      </div>
      <label for="edit-note">Note for the agent (optional)</label>
      <input
        id="edit-note"
        type="text"
        maxLength={2000}
        value={note}
        onInput={(event) => setNote(event.currentTarget.value)}
      />
      <div class="actions">
        <button
          type="submit"
          class="button approve"
          disabled={props.busy || !parsed.ok || changes.length === 0}
        >
          Approve with these arguments
        </button>
        <button type="button" class="button secondary" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** A form that replaces the pinned bar opens where it sits in the card: bring it into view, focus its first control. */
function useOpenedForm() {
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    const first = form.current?.querySelector<HTMLElement>("button, textarea, input");
    form.current?.scrollIntoView({ block: "start" });
    first?.focus({ preventScroll: true });
  }, []);
  return form;
}
