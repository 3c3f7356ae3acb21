import type { Pause } from "@countersign/core";
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { getJson } from "../api/http.ts";
import { onPauseChanged, onReconnected } from "../api/live-updates.ts";
import type { PausePage } from "../api/types.ts";
import { announce } from "../components/announcer.tsx";
import { PageHeading } from "../components/page-heading.tsx";
import { RiskBadge } from "../components/risk-badge.tsx";
import { StatusBadge } from "../components/status-badge.tsx";
import { timeAgo } from "../lib/format-time.ts";
import {
  facets,
  filterPauses,
  type PauseFilter,
  pauseTitle,
  type SortOrder,
  sortPauses,
} from "../lib/pause-order.ts";
import { Link, navigate, useLocation } from "../router.tsx";
import { useNow } from "../use-now.ts";

type Tab = "pending" | "decided";

/** The list: pending (or decided) pauses, filtered and sorted, kept current by the event stream. */
export function PauseListPage() {
  const { search } = useLocation();
  const tab: Tab = search.get("show") === "decided" ? "decided" : "pending";
  const filter: PauseFilter = {
    agent: search.get("agent") ?? "",
    type: search.get("type") ?? "",
    risk: search.get("risk") ?? "",
  };
  const order: SortOrder = search.get("sort") === "newest" ? "newest" : "urgent";
  const [items, setItems] = useState<Pause[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState("");
  const now = useNow();
  const listed = useRef<Pause[] | null>(null);
  listed.current = items;

  useEffect(() => {
    setItems(null);
    const load = () =>
      getJson<PausePage>(`/inbox/api/pauses?status=${tab}`).then(
        (page) => {
          setItems(page.data);
          setCursor(page.next_cursor);
          setError("");
        },
        (caught: Error) => setError(caught.message),
      );
    void load();
    const stopChanges = onPauseChanged((pause) => {
      const belongs = tab === "pending" ? pause.status === "pending" : pause.status !== "pending";
      const known = listed.current?.some((item) => item.pause_id === pause.pause_id) ?? false;
      if (!known && belongs && tab === "pending") announce(`New pause: ${pauseTitle(pause)}`);
      setItems((current) => {
        if (!current) return current;
        const others = current.filter((item) => item.pause_id !== pause.pause_id);
        return belongs ? [pause, ...others] : others;
      });
    });
    const stopReconnect = onReconnected(() => void load());
    return () => {
      stopChanges();
      stopReconnect();
    };
  }, [tab]);

  const shown = useMemo(
    () => (items ? sortPauses(filterPauses(items, filter), order) : []),
    [items, filter.agent, filter.type, filter.risk, order],
  );
  const options = useMemo(() => facets(items ?? []), [items]);

  const setParam = (name: string, value: string) => {
    const next = new URLSearchParams(location.search);
    if (value === "") next.delete(name);
    else next.set(name, value);
    const query = next.toString();
    navigate(`/${query ? `?${query}` : ""}`, { replace: true });
  };

  async function loadMore() {
    if (!cursor) return;
    const page = await getJson<PausePage>(
      `/inbox/api/pauses?status=${tab}&cursor=${encodeURIComponent(cursor)}`,
    );
    setItems((current) => [
      ...(current ?? []),
      ...page.data.filter((pause) => !current?.some((item) => item.pause_id === pause.pause_id)),
    ]);
    setCursor(page.next_cursor);
  }

  const heading = tab === "pending" ? "Waiting for you" : "Decided";
  return (
    <>
      <PageHeading title={heading}>
        {heading}
        {items && <span class="count"> ({shown.length})</span>}
      </PageHeading>
      <nav class="tabs" aria-label="Which pauses">
        <Link href="/" aria-current={tab === "pending" ? "page" : undefined}>
          Pending
        </Link>
        <Link href="/?show=decided" aria-current={tab === "decided" ? "page" : undefined}>
          Decided
        </Link>
      </nav>
      <form class="filters" aria-label="Filter and sort" onSubmit={(event) => event.preventDefault()}>
        <Select
          label="Agent"
          name="agent"
          value={filter.agent}
          choices={options.agents}
          onChange={setParam}
        />
        <Select label="Action" name="type" value={filter.type} choices={options.types} onChange={setParam} />
        <Select
          label="Risk"
          name="risk"
          value={filter.risk}
          choices={["critical", "high", "medium", "low", "unspecified"]}
          onChange={setParam}
        />
        <label>
          Sort
          <select
            value={order}
            onChange={(event) => setParam("sort", event.currentTarget.value === "newest" ? "newest" : "")}
          >
            <option value="urgent">Most urgent first</option>
            <option value="newest">Newest first</option>
          </select>
        </label>
      </form>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {items === null && !error && <p class="muted">Loading…</p>}
      {items && shown.length === 0 && (
        <p class="empty">
          {tab === "pending" ? "Nothing is waiting for a decision." : "No decided pauses match."}
        </p>
      )}
      <ul class="pause-list" aria-label={heading}>
        {shown.map((pause) => (
          <li key={pause.pause_id}>
            <Link href={`/inbox/pauses/${encodeURIComponent(pause.pause_id)}`} class="pause-row">
              <span class="pause-row-title">{pauseTitle(pause)}</span>
              <span class="pause-row-meta">
                <RiskBadge risk={pause.action.risk} />
                <StatusBadge pause={pause} now={now} />
              </span>
              <span class="pause-row-sub">
                {pause.action.type} · {pause.agent_id} · {timeAgo(pause.created_at, now)}
                {pause.decision &&
                  pause.decision.decided_by.kind === "human" &&
                  ` · by ${pause.decision.decided_by.id}`}
              </span>
            </Link>
          </li>
        ))}
      </ul>
      {cursor && (
        <button type="button" class="button secondary" onClick={() => void loadMore()}>
          Load more
        </button>
      )}
    </>
  );
}

function Select(props: {
  label: string;
  name: string;
  value: string;
  choices: string[];
  onChange: (name: string, value: string) => void;
}) {
  const choices =
    props.value && !props.choices.includes(props.value) ? [props.value, ...props.choices] : props.choices;
  return (
    <label>
      {props.label}
      <select value={props.value} onChange={(event) => props.onChange(props.name, event.currentTarget.value)}>
        <option value="">All</option>
        {choices.map((choice) => (
          <option key={choice} value={choice}>
            {choice}
          </option>
        ))}
      </select>
    </label>
  );
}
