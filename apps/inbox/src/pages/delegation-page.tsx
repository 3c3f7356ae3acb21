import type { Delegation } from "@countersign/core";
import { useEffect, useState } from "preact/hooks";
import { deleteJson, getJson, postJson } from "../api/http.ts";
import { PageHeading } from "../components/page-heading.tsx";
import { formatDateTime } from "../lib/format-time.ts";

const STATUS_TEXT: Record<Delegation["status"], string> = {
  scheduled: "Starts later",
  active: "In force",
  ended: "Ended",
  revoked: "Revoked",
};

/** "Away? Delegate my approvals": hand your approvals to a colleague for a period, and see or end what is in force. */
export function DelegationPage({ identity }: { identity: string }) {
  const [delegations, setDelegations] = useState<Delegation[] | null>(null);
  const [to, setTo] = useState("");
  const [until, setUntil] = useState("");
  const [actionTypes, setActionTypes] = useState("");
  const [reason, setReason] = useState("");
  const [error, setError] = useState("");
  const [notice, setNotice] = useState("");
  const [busy, setBusy] = useState(false);

  const load = () =>
    getJson<{ data: Delegation[] }>("/inbox/api/delegations").then(
      (list) => setDelegations(list.data),
      (caught: Error) => setError(caught.message),
    );
  useEffect(() => {
    void load();
  }, []);

  async function submit(event: Event) {
    event.preventDefault();
    setError("");
    setNotice("");
    const endsAt = new Date(until);
    if (Number.isNaN(endsAt.getTime())) {
      setError("Choose when you are back.");
      return;
    }
    const types = actionTypes
      .split(",")
      .map((type) => type.trim())
      .filter((type) => type !== "");
    setBusy(true);
    try {
      const created = await postJson<Delegation>("/inbox/api/delegations", {
        to: to.trim(),
        ends_at: endsAt.toISOString(),
        ...(types.length > 0 && { action_types: types }),
        ...(reason.trim() !== "" && { reason: reason.trim() }),
      });
      setNotice(`${created.to} now decides in your place until ${formatDateTime(created.ends_at)}.`);
      setTo("");
      setReason("");
      await load();
    } catch (caught) {
      setError((caught as Error).message);
    } finally {
      setBusy(false);
    }
  }

  async function revoke(delegation: Delegation) {
    setError("");
    try {
      await deleteJson(`/inbox/api/delegations/${encodeURIComponent(delegation.delegation_id)}`);
      setNotice(`The delegation to ${delegation.to} has ended.`);
      await load();
    } catch (caught) {
      setError((caught as Error).message);
    }
  }

  return (
    <section aria-labelledby="delegation-heading" class="delegation-page">
      <PageHeading title="Away? Delegate my approvals">
        <span id="delegation-heading">Away? Delegate my approvals</span>
      </PageHeading>
      <p class="muted">
        While you are away, the person you choose may decide what is routed to you. Proofs and the audit log
        name both of you. They never decide their own requests, and what is handed to you is not passed on.
      </p>
      <form class="delegation-form" onSubmit={(event) => void submit(event)}>
        <label>
          Hand my approvals to
          <input
            name="to"
            type="text"
            autoComplete="email"
            required
            placeholder="colleague@example.com"
            value={to}
            onInput={(event) => setTo(event.currentTarget.value)}
          />
        </label>
        <label>
          Until
          <input
            name="until"
            type="datetime-local"
            required
            value={until}
            onInput={(event) => setUntil(event.currentTarget.value)}
          />
        </label>
        <label>
          Only these action types (optional, comma-separated)
          <input
            name="action_types"
            type="text"
            placeholder="payment, refund*"
            value={actionTypes}
            onInput={(event) => setActionTypes(event.currentTarget.value)}
          />
        </label>
        <label>
          Reason (optional)
          <input
            name="reason"
            type="text"
            placeholder="On leave"
            value={reason}
            onInput={(event) => setReason(event.currentTarget.value)}
          />
        </label>
        <button type="submit" disabled={busy}>
          Delegate
        </button>
      </form>
      {error && <p role="alert">{error}</p>}
      {notice && <p role="status">{notice}</p>}
      <h2>Delegations</h2>
      {delegations === null ? (
        <p class="muted">Loading…</p>
      ) : delegations.length === 0 ? (
        <p class="muted">No delegations yet.</p>
      ) : (
        <ul class="delegation-list">
          {delegations.map((delegation) => (
            <li key={delegation.delegation_id} data-status={delegation.status}>
              <span>
                {delegation.from === identity ? `To ${delegation.to}` : `From ${delegation.from}`}
                {delegation.from !== identity && delegation.to !== identity && ` to ${delegation.to}`}
              </span>{" "}
              <span class="muted">
                {STATUS_TEXT[delegation.status]} · {formatDateTime(delegation.starts_at)} –{" "}
                {formatDateTime(delegation.ends_at)}
                {delegation.action_types && ` · ${delegation.action_types.join(", ")}`}
              </span>{" "}
              {(delegation.status === "active" || delegation.status === "scheduled") && (
                <button type="button" class="link-button" onClick={() => void revoke(delegation)}>
                  End now
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
