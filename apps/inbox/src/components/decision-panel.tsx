import type { ActionData } from "@countersign/core";
import { useState } from "preact/hooks";
import { ApiError, postJson } from "../api/http.ts";
import type { InboxPauseView } from "../api/types.ts";
import { changedArguments, parseEditedArguments } from "../lib/edit-arguments.ts";
import { PRESET_REJECT_REASONS } from "../lib/reject-reasons.ts";

interface DecisionPanelProps {
  view: InboxPauseView;
  /** The pause after this approver's decision. */
  onDecided: (view: InboxPauseView) => void;
  /** Someone else decided first: the pause as it now is. */
  onAlreadyDecided: (view: InboxPauseView) => void;
}

type Mode = "choose" | "reject" | "edit";

/** Approve, Reject (with a reason) and Approve with edits (validated JSON). */
export function DecisionPanel({ view, onDecided, onAlreadyDecided }: DecisionPanelProps) {
  const { pause } = view;
  const [mode, setMode] = useState<Mode>("choose");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");

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

  if (!view.viewer.can_decide) {
    return <p class="notice">{view.viewer.note ?? "You cannot decide this pause."}</p>;
  }
  return (
    <section class="decide" aria-labelledby="decide-heading">
      <h2 id="decide-heading" class="visually-hidden">
        Decide
      </h2>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {mode === "choose" && (
        <div class="actions decision-buttons">
          <button
            type="button"
            class="button approve"
            disabled={busy}
            onClick={() => decide({ decision: "approve" })}
          >
            Approve
          </button>
          <button type="button" class="button reject" disabled={busy} onClick={() => setMode("reject")}>
            Reject…
          </button>
          <button type="button" class="button secondary" disabled={busy} onClick={() => setMode("edit")}>
            Approve with edits…
          </button>
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
          onSubmit={(data, reason) => decide({ decision: "approve", data, ...(reason && { reason }) })}
        />
      )}
    </section>
  );
}

function RejectForm(props: { busy: boolean; onCancel: () => void; onSubmit: (reason: string) => void }) {
  const [reason, setReason] = useState("");
  const [tried, setTried] = useState(false);
  const missing = reason.trim() === "";
  return (
    <form
      class="decision-form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        setTried(true);
        if (!missing) props.onSubmit(reason.trim());
      }}
    >
      <fieldset class="presets">
        <legend>Common reasons</legend>
        {PRESET_REJECT_REASONS.map((preset) => (
          <button
            type="button"
            class="chip"
            aria-pressed={reason === preset}
            key={preset}
            onClick={() => setReason(preset)}
          >
            {preset}
          </button>
        ))}
      </fieldset>
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
  const parsed = parseEditedArguments(text);
  const changes = parsed.ok ? changedArguments(props.original, parsed.data) : [];
  return (
    <form
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
        {parsed.ok && changes.length > 0 && (
          <ul class="changes">
            {changes.map((change) => (
              <li key={change.key}>
                <code>{change.key}</code>: <del>{change.before}</del> → <ins>{change.after}</ins>
              </li>
            ))}
          </ul>
        )}
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
        <button type="submit" class="button approve" disabled={props.busy || !parsed.ok}>
          Approve with these arguments
        </button>
        <button type="button" class="button secondary" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
