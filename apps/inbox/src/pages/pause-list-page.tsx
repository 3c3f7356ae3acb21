import type { Pause } from "@countersign/core";
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { decideBatch } from "../api/decide-batch.ts";
import { getJson } from "../api/http.ts";
import { onPauseChanged, onReconnected } from "../api/live-updates.ts";
import type { InboxPauseView, PausePage } from "../api/types.ts";
import { announce } from "../components/announcer.tsx";
import { BatchBar } from "../components/batch-bar.tsx";
import { BatchDecisionDialog } from "../components/batch-decision-dialog.tsx";
import { type BatchOutcome, BatchResults } from "../components/batch-results.tsx";
import { EmptyList } from "../components/empty-list.tsx";
import { ListSearch } from "../components/list-search.tsx";
import { PageHeading } from "../components/page-heading.tsx";
import { RiskBadge } from "../components/risk-badge.tsx";
import { StatusBadge } from "../components/status-badge.tsx";
import { counted } from "../lib/batch-summary.ts";
import { timeAgo } from "../lib/format-time.ts";
import {
  hasFilters,
  type ListTab,
  matchesFilters,
  pauseListQuery,
  readFilters,
} from "../lib/list-filters.ts";
import { type Facets, mergeFacets, pauseTitle, type SortOrder, sortPauses } from "../lib/pause-order.ts";
import { Link, navigate, useLocation } from "../router.tsx";
import { useNow } from "../use-now.ts";
import "../components/batch-decisions.css";

const FILTER_PARAMS = ["q", "agent", "type", "risk"];

/**
 * The list: pending (or decided) pauses, searched and filtered by the server
 * page by page, sorted here, kept current by the event stream. Pending
 * pauses the approver may decide can be selected and decided together.
 */
export function PauseListPage() {
  const { search } = useLocation();
  const tab: ListTab = search.get("show") === "decided" ? "decided" : "pending";
  const filters = readFilters(search);
  const filterKey = JSON.stringify(filters);
  const filtered = hasFilters(filters);
  const order: SortOrder = search.get("sort") === "newest" ? "newest" : "urgent";
  const [items, setItems] = useState<Pause[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState("");
  const [hiddenByFilters, setHiddenByFilters] = useState<boolean | null>(null);
  const [options, setOptions] = useState<Facets>({ agents: [], types: [] });
  const now = useNow();
  const listed = useRef<Pause[] | null>(null);
  listed.current = items;
  // The pauses this approver may decide now (the server's answer), and those they picked.
  const [decidable, setDecidable] = useState<ReadonlySet<string>>(new Set());
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [batch, setBatch] = useState<"approve" | "reject" | null>(null);
  const [outcome, setOutcome] = useState<BatchOutcome | null>(null);
  const [busy, setBusy] = useState(false);
  const reload = useRef<() => Promise<unknown>>(async () => {});

  useEffect(() => {
    setItems(null);
    setHiddenByFilters(null);
    setSelected(new Set());
    // A slow answer for the previous search must not replace the current one.
    let stillShown = true;
    const load = () =>
      getJson<PausePage>(`/inbox/api/pauses?${pauseListQuery(tab, filters)}`).then(
        (page) => {
          if (!stillShown) return;
          setItems(page.data);
          setDecidable(new Set(page.can_decide));
          setOptions((current) => mergeFacets(current, page.data));
          setCursor(page.next_cursor);
          setError("");
          // An empty filtered list must not read as "nothing is waiting": ask whether the filters hide any.
          if (page.data.length === 0 && filtered) {
            getJson<PausePage>(`/inbox/api/pauses?status=${tab}&limit=1`).then(
              (unfiltered) => stillShown && setHiddenByFilters(unfiltered.data.length > 0),
              () => setHiddenByFilters(null),
            );
          }
        },
        (caught: Error) => stillShown && setError(caught.message),
      );
    reload.current = load;
    void load();
    const stopChanges = onPauseChanged((pause) => {
      const inTab = tab === "pending" ? pause.status === "pending" : pause.status !== "pending";
      const belongs = inTab && matchesFilters(pause, filters);
      setOptions((current) => mergeFacets(current, [pause]));
      const known = listed.current?.some((item) => item.pause_id === pause.pause_id) ?? false;
      if (!known && belongs && tab === "pending") announce(`New pause: ${pauseTitle(pause)}`);
      // Whether this approver may decide it can change with it (new, a quorum vote, decided): ask again.
      if (belongs && pause.status === "pending") {
        getJson<InboxPauseView>(`/inbox/api/pauses/${encodeURIComponent(pause.pause_id)}`).then(
          (view) =>
            stillShown &&
            setDecidable((current) => withMember(current, pause.pause_id, view.viewer.can_decide)),
          () => {},
        );
      } else {
        setDecidable((current) => withMember(current, pause.pause_id, false));
      }
      setItems((current) => {
        if (!current) return current;
        const others = current.filter((item) => item.pause_id !== pause.pause_id);
        return belongs ? [pause, ...others] : others;
      });
    });
    const stopReconnect = onReconnected(() => void load());
    return () => {
      stillShown = false;
      stopChanges();
      stopReconnect();
    };
  }, [tab, filterKey]);

  const shown = useMemo(() => (items ? sortPauses(items, order) : []), [items, order]);
  const selectable = tab === "pending" ? shown.filter((pause) => decidable.has(pause.pause_id)) : [];
  const picked = selectable.filter((pause) => selected.has(pause.pause_id));

  const toggle = (pauseId: string, pick: boolean) =>
    setSelected((current) => withMember(current, pauseId, pick));
  const selectAll = (pick: boolean) =>
    setSelected(pick ? new Set(selectable.map((pause) => pause.pause_id)) : new Set());

  async function confirmBatch(decision: "approve" | "reject", pauses: Pause[], reason: string | undefined) {
    setBatch(null);
    setBusy(true);
    setError("");
    try {
      const results = await decideBatch(
        pauses.map((pause) => pause.pause_id),
        decision,
        reason,
      );
      const next = { decision, items: pauses.map((pause, index) => ({ pause, result: results[index]! })) };
      setOutcome(next);
      setSelected(new Set());
      const refused = results.filter((result) => result.error).length;
      announce(
        `${counted(results.length - refused, "pause")} decided${refused ? `, ${refused} refused` : ""}`,
      );
      await reload.current();
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    } finally {
      setBusy(false);
    }
  }

  const setParam = (name: string, value: string) => {
    const next = new URLSearchParams(location.search);
    if (value === "") next.delete(name);
    else next.set(name, value);
    const query = next.toString();
    navigate(`/${query ? `?${query}` : ""}`, { replace: true });
  };

  const clearFilters = () => {
    const next = new URLSearchParams(location.search);
    for (const name of FILTER_PARAMS) next.delete(name);
    const query = next.toString();
    navigate(`/${query ? `?${query}` : ""}`, { replace: true });
    announce("Filters cleared");
    document.getElementById("list-search")?.focus();
  };

  async function loadMore() {
    if (!cursor) return;
    const page = await getJson<PausePage>(`/inbox/api/pauses?${pauseListQuery(tab, filters, cursor)}`);
    setDecidable((current) => new Set([...current, ...page.can_decide]));
    setOptions((current) => mergeFacets(current, page.data));
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
        <Link href={tabHref("pending")} aria-current={tab === "pending" ? "page" : undefined}>
          Pending
        </Link>
        <Link href={tabHref("decided")} aria-current={tab === "decided" ? "page" : undefined}>
          Decided
        </Link>
      </nav>
      <ListSearch value={filters.q} onSearch={(text) => setParam("q", text)} />
      <form class="filters" aria-label="Filter and sort" onSubmit={(event) => event.preventDefault()}>
        <Select
          label="Agent"
          name="agent"
          value={filters.agent}
          choices={options.agents}
          onChange={setParam}
        />
        <Select label="Action" name="type" value={filters.type} choices={options.types} onChange={setParam} />
        <Select
          label="Risk"
          name="risk"
          value={filters.risk}
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
      {outcome && <BatchResults outcome={outcome} onDismiss={() => setOutcome(null)} />}
      {items === null && !error && <p class="muted">Loading…</p>}
      {items && shown.length === 0 && (
        <EmptyList
          tab={tab}
          filters={filters}
          hiddenByFilters={hiddenByFilters}
          onClearFilters={clearFilters}
        />
      )}
      {selectable.length > 0 && (
        <SelectAll picked={picked.length} of={selectable.length} onChange={selectAll} />
      )}
      <ul class="pause-list" aria-label={heading}>
        {shown.map((pause) => (
          <li key={pause.pause_id} class="pause-item">
            {tab === "pending" && decidable.has(pause.pause_id) && (
              <label class="pause-select">
                <input
                  type="checkbox"
                  aria-label={`Select ${pauseTitle(pause)}`}
                  checked={selected.has(pause.pause_id)}
                  onChange={(event) => toggle(pause.pause_id, event.currentTarget.checked)}
                />
              </label>
            )}
            {/* Rows this approver may not decide keep their place in the column of boxes. */}
            {selectable.length > 0 && !decidable.has(pause.pause_id) && <span class="pause-select" />}
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
      {picked.length > 0 && (
        <BatchBar
          selected={picked.length}
          busy={busy}
          onApprove={() => setBatch("approve")}
          onReject={() => setBatch("reject")}
          onClear={() => setSelected(new Set())}
        />
      )}
      {batch && (
        <BatchDecisionDialog
          decision={batch}
          pauses={picked}
          onCancel={() => setBatch(null)}
          onConfirm={(pauses, reason) => void confirmBatch(batch, pauses, reason)}
        />
      )}
    </>
  );
}

/** The set with `member` in it or not. */
function withMember(set: ReadonlySet<string>, member: string, present: boolean): ReadonlySet<string> {
  if (set.has(member) === present) return set;
  const next = new Set(set);
  if (present) next.add(member);
  else next.delete(member);
  return next;
}

/** "Select all you can decide": ticked when all are, mixed when some are. */
function SelectAll(props: { picked: number; of: number; onChange: (pick: boolean) => void }) {
  const box = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (box.current) box.current.indeterminate = props.picked > 0 && props.picked < props.of;
  });
  return (
    <label class="select-all">
      <input
        ref={box}
        type="checkbox"
        checked={props.picked === props.of}
        onChange={(event) => props.onChange(event.currentTarget.checked)}
      />
      Select all you can decide ({props.of})
    </label>
  );
}

/** A tab's link keeps the search, filters and sort: switching to "Decided" looks for the same order. */
function tabHref(tab: ListTab): string {
  const next = new URLSearchParams(location.search);
  if (tab === "decided") next.set("show", "decided");
  else next.delete("show");
  const query = next.toString();
  return `/${query ? `?${query}` : ""}`;
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
