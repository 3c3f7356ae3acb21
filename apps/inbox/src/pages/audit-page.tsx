import type { AuditEvent, AuditEventType } from "@countersign/core";
import { useEffect, useState } from "preact/hooks";
import { getJson } from "../api/http.ts";
import type { AuditPage as AuditList } from "../api/types.ts";
import { PageHeading } from "../components/page-heading.tsx";
import { UnreportedClaims } from "../components/unreported-claims.tsx";
import { formatDateTime } from "../lib/format-time.ts";
import { Link } from "../router.tsx";

const EVENT_TYPES = [
  "pause.opened",
  "pause.routed",
  "pause.notified",
  "pause.viewed",
  "pause.decided",
  "pause.escalated",
  "pause.expired",
  "pause.claimed",
  "pause.executed",
  "pause.cancelled",
  "webhook.attempted",
  "webhook.delivered",
  "webhook.failed",
  "webhook.redelivered",
  "grant.created",
  "grant.used",
  "grant.revoked",
] satisfies AuditEventType[];

interface Filter {
  pause_id: string;
  agent_id: string;
  actor: string;
  type: string;
  since: string;
  until: string;
}

const EMPTY: Filter = { pause_id: "", agent_id: "", actor: "", type: "", since: "", until: "" };

/** Admins: the audit log, filtered, with an export of everything that matches as JSON Lines. */
export function AuditPage() {
  const [draft, setDraft] = useState<Filter>(EMPTY);
  const [filter, setFilter] = useState<Filter>(EMPTY);
  const [events, setEvents] = useState<AuditEvent[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState("");

  useEffect(() => {
    setEvents(null);
    getJson<AuditList>(`/inbox/api/audit?${query(filter)}`).then(
      (page) => {
        setEvents(page.data);
        setCursor(page.next_cursor);
        setError("");
      },
      (caught: Error) => setError(caught.message),
    );
  }, [filter]);

  async function loadMore() {
    if (!cursor) return;
    const page = await getJson<AuditList>(`/inbox/api/audit?${query(filter, cursor)}`);
    setEvents((current) => [...(current ?? []), ...page.data]);
    setCursor(page.next_cursor);
  }

  const field = (name: keyof Filter, label: string, type = "text") => (
    <label>
      {label}
      <input
        type={type}
        value={draft[name]}
        onInput={(event) => setDraft({ ...draft, [name]: event.currentTarget.value })}
      />
    </label>
  );

  return (
    <>
      <PageHeading title="Audit log">Audit log</PageHeading>
      <UnreportedClaims />
      <form
        class="filters audit-filters"
        onSubmit={(event) => {
          event.preventDefault();
          setFilter(draft);
        }}
      >
        {field("pause_id", "Pause id")}
        {field("agent_id", "Agent")}
        {field("actor", "Actor")}
        <label>
          Event
          <select
            value={draft.type}
            onChange={(event) => setDraft({ ...draft, type: event.currentTarget.value })}
          >
            <option value="">All</option>
            {EVENT_TYPES.map((type) => (
              <option key={type} value={type}>
                {type}
              </option>
            ))}
          </select>
        </label>
        {field("since", "Since", "datetime-local")}
        {field("until", "Until", "datetime-local")}
        <div class="actions">
          <button type="submit" class="button">
            Apply filters
          </button>
          <a class="button secondary" href={`/inbox/api/audit/export?${query(filter)}`} download>
            Export JSON Lines
          </a>
        </div>
      </form>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {events === null && !error && <p class="muted">Loading…</p>}
      {events && events.length === 0 && <p class="empty">No events match.</p>}
      {events && events.length > 0 && (
        <div class="table-scroll">
          <table class="audit-table">
            <caption class="visually-hidden">Audit events, oldest first</caption>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">When</th>
                <th scope="col">Event</th>
                <th scope="col">Actor</th>
                <th scope="col">Pause</th>
                <th scope="col">Data</th>
              </tr>
            </thead>
            <tbody>
              {events.map((event) => (
                <tr key={event.seq}>
                  <td>{event.seq}</td>
                  <td>
                    <time dateTime={event.at}>{formatDateTime(event.at)}</time>
                  </td>
                  <td>{event.type}</td>
                  <td>
                    {event.actor.kind}: {event.actor.id}
                  </td>
                  <td>
                    {event.pause_id && (
                      <Link href={`/inbox/pauses/${encodeURIComponent(event.pause_id)}`}>
                        {event.pause_id}
                      </Link>
                    )}
                  </td>
                  <td>
                    <code>{JSON.stringify(event.data)}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {cursor && (
        <button type="button" class="button secondary" onClick={() => void loadMore()}>
          Load more
        </button>
      )}
    </>
  );
}

function query(filter: Filter, cursor?: string): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(filter)) {
    if (value === "") continue;
    // datetime-local has no zone: read it as the approver's local time.
    params.set(name, name === "since" || name === "until" ? new Date(value).toISOString() : value);
  }
  if (cursor) params.set("cursor", cursor);
  return params.toString();
}
