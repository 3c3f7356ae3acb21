import { useEffect, useState } from "preact/hooks";
import { getJson } from "../api/http.ts";
import type { ListPage, UnreportedClaim } from "../api/types.ts";
import { formatDateTime } from "../lib/format-time.ts";
import { Link } from "../router.tsx";

const AGES = [
  { value: "15m", label: "15 minutes" },
  { value: "1h", label: "1 hour" },
  { value: "1d", label: "1 day" },
  { value: "0s", label: "any time" },
];

/**
 * Approved actions that were claimed but never reported: a crash between the
 * claim and the action, or an executor that records no receipts. Each may or
 * may not have happened; an operator reconciles them with the system that acts.
 */
export function UnreportedClaims() {
  const [olderThan, setOlderThan] = useState("15m");
  const [claims, setClaims] = useState<UnreportedClaim[] | null>(null);
  const [error, setError] = useState("");

  useEffect(() => {
    setClaims(null);
    getJson<ListPage<UnreportedClaim>>(`/inbox/api/unreported-claims?older_than=${olderThan}`).then(
      (page) => {
        setClaims(page.data);
        setError("");
      },
      (caught: Error) => setError(caught.message),
    );
  }, [olderThan]);

  return (
    <section class="unreported-claims" aria-labelledby="unreported-claims-heading">
      <h2 id="unreported-claims-heading">Claimed, no receipt</h2>
      <p class="muted">
        Approved actions that were claimed but whose outcome was never reported. Check each with the system
        that acts before retrying it.
      </p>
      <label>
        Claimed more than
        <select value={olderThan} onChange={(event) => setOlderThan(event.currentTarget.value)}>
          {AGES.map((age) => (
            <option key={age.value} value={age.value}>
              {age.label} ago
            </option>
          ))}
        </select>
      </label>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {claims === null && !error && <p class="muted">Loading…</p>}
      {claims && claims.length === 0 && <p class="empty">Every claim older than that has a receipt.</p>}
      {claims && claims.length > 0 && (
        <ul class="unreported-claim-list">
          {claims.map((claim) => (
            <li key={claim.pause_id}>
              <Link href={`/inbox/pauses/${encodeURIComponent(claim.pause_id)}`}>{claim.title}</Link>{" "}
              <span class="muted">
                {claim.agent_id} · {claim.action_type} · claimed{" "}
                <time dateTime={claim.claimed_at}>{formatDateTime(claim.claimed_at)}</time>
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
