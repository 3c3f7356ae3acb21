import { useEffect, useState } from "preact/hooks";
import { deleteJson, getJson } from "../api/http.ts";
import type { GrantList, InboxGrant } from "../api/types.ts";
import { announce } from "../components/announcer.tsx";
import { ConfirmDialog } from "../components/confirm-dialog.tsx";
import { PageHeading } from "../components/page-heading.tsx";
import { formatDateTime } from "../lib/format-time.ts";
import { durationText } from "../lib/grant-terms.ts";

const STATUS_TEXT: Record<InboxGrant["status"], string> = {
  active: "Active",
  exhausted: "Used up",
  expired: "Expired",
  revoked: "Revoked",
};

/** Standing grants: what approves pauses without asking, what is left of each, and a way to end it. */
export function GrantsPage() {
  const [list, setList] = useState<GrantList | null>(null);
  const [error, setError] = useState("");
  const [revoking, setRevoking] = useState<InboxGrant | null>(null);

  const load = () =>
    getJson<GrantList>("/inbox/api/grants").then(setList, (caught: Error) => setError(caught.message));
  useEffect(() => {
    void load();
  }, []);

  async function revoke(grant: InboxGrant) {
    setError("");
    try {
      await deleteJson(`/inbox/api/grants/${encodeURIComponent(grant.grant_id)}`);
      announce(`The grant for ${grant.action_type} by ${grant.agent_ids.join(", ")} has ended.`);
      await load();
    } catch (caught) {
      setError((caught as Error).message);
    }
  }

  return (
    <section aria-labelledby="grants-heading" class="grants-page">
      <PageHeading title="Standing grants">
        <span id="grants-heading">Standing grants</span>
      </PageHeading>
      <p class="muted">
        A grant approves, in its grantor's name, each new pause that fits its terms, until it is used up,
        expires or is revoked. It never approves its grantor's own requests. Make one from a pending card with
        "Approve this and similar ones…".
        {list && ` New grants last at most ${durationText(list.limits.max_duration_seconds)}.`}
        {list &&
          !list.limits.enabled &&
          " The policy has turned grants off: none of them approves anything now."}
      </p>
      {error && <p role="alert">{error}</p>}
      {list === null ? (
        <p class="muted">Loading…</p>
      ) : list.data.length === 0 ? (
        <p class="muted">No grants yet.</p>
      ) : (
        <div class="table-scroll">
          <table class="grants-table">
            <caption class="visually-hidden">Standing grants, active first</caption>
            <thead>
              <tr>
                <th scope="col">Agents</th>
                <th scope="col">Action type</th>
                <th scope="col">Conditions</th>
                <th scope="col">Remaining</th>
                <th scope="col">Expires</th>
                <th scope="col">Granted by</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((grant) => (
                <tr key={grant.grant_id} data-grant-id={grant.grant_id} data-status={grant.status}>
                  <td>{grant.agent_ids.join(", ")}</td>
                  <td>{grant.action_type}</td>
                  <td>{grant.conditions.length > 0 ? grant.conditions.join(" and ") : "none"}</td>
                  <td data-testid="remaining">{remaining(grant)}</td>
                  <td>
                    <time dateTime={grant.expires_at}>{formatDateTime(grant.expires_at)}</time>
                  </td>
                  <td>{grant.granted_by}</td>
                  <td>
                    {STATUS_TEXT[grant.status]}
                    {grant.can_revoke && (
                      <button type="button" class="button reject small" onClick={() => setRevoking(grant)}>
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {revoking && (
        <ConfirmDialog
          title="Revoke this grant?"
          confirmLabel="Yes, revoke"
          tone="reject"
          onCancel={() => setRevoking(null)}
          onConfirm={() => {
            const grant = revoking;
            setRevoking(null);
            void revoke(grant);
          }}
        >
          <p>
            <strong>{revoking.action_type}</strong> by {revoking.agent_ids.join(", ")}
            {revoking.conditions.length > 0 && ` when ${revoking.conditions.join(" and ")}`}:{" "}
            {remaining(revoking)}.
          </p>
          <p class="muted">
            It ends at once: later pauses wait for a person again. Pauses it already approved stay approved.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}

/** "2 of 3 pauses · 380 of 500 amount", or "no limit". */
function remaining(grant: InboxGrant): string {
  const parts: string[] = [];
  if (grant.max_count !== null) parts.push(`${grant.remaining_count} of ${grant.max_count} pauses`);
  if (grant.max_total !== null) {
    parts.push(`${grant.remaining_total} of ${grant.max_total.max} ${grant.max_total.field}`);
  }
  return parts.length > 0 ? parts.join(" · ") : "no limit";
}
