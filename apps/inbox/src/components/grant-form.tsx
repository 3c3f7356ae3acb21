import type { GrantRequest, Pause } from "@countersign/core";
import { useEffect, useRef, useState } from "preact/hooks";
import { type ApiError, getJson } from "../api/http.ts";
import type { GrantLimits, GrantList } from "../api/types.ts";
import { draftFromPause, durationChoices, durationText, type GrantDraft } from "../lib/grant-terms.ts";

interface GrantFormProps {
  pause: Pause;
  busy: boolean;
  /** What the server refused, with the fields it named. */
  error: ApiError | null;
  onCancel: () => void;
  onSubmit: (grant: GrantRequest) => void;
}

/**
 * "Approve this and similar ones for the next …": this pause's agent and
 * action type, at most this amount each, a count and a total, for a while no
 * longer than the policy allows. The grant approves in the approver's name
 * and never their own requests; the server checks every term again.
 */
export function GrantForm({ pause, busy, error, onCancel, onSubmit }: GrantFormProps) {
  const [limits, setLimits] = useState<GrantLimits | null>(null);
  const [failure, setFailure] = useState("");
  const form = useRef<HTMLFormElement>(null);

  useEffect(() => {
    getJson<GrantList>("/inbox/api/grants").then(
      (list) => setLimits(list.limits),
      (caught: Error) => setFailure(caught.message),
    );
  }, []);
  useEffect(() => {
    if (!limits) return;
    form.current?.scrollIntoView({ block: "start" });
    form.current?.querySelector<HTMLElement>("input, select")?.focus({ preventScroll: true });
  }, [limits]);

  if (failure) return <p role="alert">{failure}</p>;
  if (!limits) return <p class="muted">Loading the policy's grant settings…</p>;
  if (!limits.enabled) {
    return (
      <div class="notice">
        <p>The policy does not allow standing grants (grants.enabled: false).</p>
        <button type="button" class="button secondary" onClick={onCancel}>
          Back
        </button>
      </div>
    );
  }
  return (
    <Terms
      formRef={form}
      draft={draftFromPause(pause, limits.max_duration_seconds)}
      maxDurationSeconds={limits.max_duration_seconds}
      busy={busy}
      error={error}
      onCancel={onCancel}
      onSubmit={onSubmit}
    />
  );
}

function Terms(props: {
  formRef: { current: HTMLFormElement | null };
  draft: GrantDraft;
  maxDurationSeconds: number;
  busy: boolean;
  error: ApiError | null;
  onCancel: () => void;
  onSubmit: (grant: GrantRequest) => void;
}) {
  const { draft } = props;
  const bound = draft.bound;
  const [agentId, setAgentId] = useState(draft.agentId);
  const [actionType, setActionType] = useState(draft.actionType);
  const [limit, setLimit] = useState(bound ? String(bound.value) : "");
  const [count, setCount] = useState(String(draft.maxCount));
  const [total, setTotal] = useState(bound ? String(bound.value * draft.maxCount) : "");
  const [duration, setDuration] = useState(draft.durationSeconds);
  const [reason, setReason] = useState("");
  const [problem, setProblem] = useState("");

  const submit = (event: Event) => {
    event.preventDefault();
    const limitValue = Number(limit);
    const totalValue = Number(total);
    if (bound && (limit.trim() === "" || !Number.isFinite(limitValue))) {
      setProblem(`Say the most ${bound.field} each pause may have.`);
      return;
    }
    if (!Number.isInteger(Number(count)) || Number(count) < 1) {
      setProblem("Say how many pauses it may approve (1 or more).");
      return;
    }
    setProblem("");
    props.onSubmit({
      agent_ids: [agentId.trim()],
      action_type: actionType.trim(),
      conditions: bound ? [`${bound.field} <= ${limitValue}`] : [],
      max_count: Number(count),
      ...(bound && total.trim() !== "" && { max_total: { field: bound.field, max: totalValue } }),
      expires_in: duration,
      ...(reason.trim() !== "" && { reason: reason.trim() }),
    });
  };

  // The server's message usually names the fields already; list only the ones it does not.
  const refused = props.error
    ? refusedFields(props.error).filter((entry) => !props.error?.message.includes(entry))
    : [];
  return (
    <form ref={props.formRef} class="decision-form grant-form" noValidate onSubmit={submit}>
      <h3>Approve this and similar ones for the next …</h3>
      <p class="muted">
        Approves this pause now, and in your name each later one that fits these terms, as soon as the agent
        asks. Never a pause you requested, never one the policy denies or sends to several approvers.
      </p>
      <label for="grant-duration">For the next</label>
      <select
        id="grant-duration"
        value={String(duration)}
        onChange={(event) => setDuration(Number(event.currentTarget.value))}
      >
        {durationChoices(props.maxDurationSeconds).map((seconds) => (
          <option key={seconds} value={String(seconds)}>
            {durationText(seconds)}
          </option>
        ))}
      </select>
      <p class="muted" id="grant-duration-limit">
        At most {durationText(props.maxDurationSeconds)} (the policy's grants.max_duration).
      </p>
      <label for="grant-agent">Agent</label>
      <input
        id="grant-agent"
        type="text"
        value={agentId}
        onInput={(e) => setAgentId(e.currentTarget.value)}
      />
      <label for="grant-action-type">Action type</label>
      <input
        id="grant-action-type"
        type="text"
        value={actionType}
        onInput={(e) => setActionType(e.currentTarget.value)}
      />
      {bound && (
        <>
          <label for="grant-limit">Only when {bound.field} is at most</label>
          <input
            id="grant-limit"
            type="number"
            min="0"
            step="any"
            value={limit}
            onInput={(e) => setLimit(e.currentTarget.value)}
          />
        </>
      )}
      <label for="grant-count">At most this many pauses</label>
      <input
        id="grant-count"
        type="number"
        min="1"
        step="1"
        value={count}
        onInput={(e) => setCount(e.currentTarget.value)}
      />
      {bound && (
        <>
          <label for="grant-total">At most this much {bound.field} in all (optional)</label>
          <input
            id="grant-total"
            type="number"
            min="0"
            step="any"
            value={total}
            onInput={(e) => setTotal(e.currentTarget.value)}
          />
        </>
      )}
      <label for="grant-reason">Reason (optional; the agent and the audit log see it)</label>
      <input
        id="grant-reason"
        type="text"
        maxLength={2000}
        value={reason}
        onInput={(e) => setReason(e.currentTarget.value)}
      />
      {(problem || props.error) && (
        <div class="field-error" role="alert">
          <p>{problem || props.error?.message}</p>
          {!problem && refused.length > 0 && (
            <ul>
              {refused.map((entry) => (
                <li key={entry}>{entry}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      <div class="actions">
        <button type="submit" class="button approve" disabled={props.busy}>
          Approve and grant
        </button>
        <button type="button" class="button secondary" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** "expires_in: must be at most 3600 seconds ahead" for each field the server named. */
function refusedFields(error: ApiError): string[] {
  const errors = error.body.errors;
  if (!Array.isArray(errors)) return [];
  return errors.flatMap((entry) =>
    entry && typeof entry === "object" && "path" in entry && "message" in entry
      ? [`${String(entry.path)}: ${String(entry.message)}`]
      : [],
  );
}
