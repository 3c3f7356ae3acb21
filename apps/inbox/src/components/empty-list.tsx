import { describeFilters, type ListFilters, type ListTab } from "../lib/list-filters.ts";

interface EmptyListProps {
  tab: ListTab;
  filters: ListFilters;
  /** Pauses exist in this tab that the filters hide (`null` while unknown). */
  hiddenByFilters: boolean | null;
  onClearFilters: () => void;
}

/**
 * An empty list says why: with filters it names them and offers to clear them,
 * so "nothing is waiting" is only ever said when nothing is.
 */
export function EmptyList({ tab, filters, hiddenByFilters, onClearFilters }: EmptyListProps) {
  const active = describeFilters(filters);
  if (active.length === 0) {
    return (
      <p class="empty" data-testid="empty-list">
        {tab === "pending" ? "Nothing is waiting for a decision." : "No decided pauses yet."}
      </p>
    );
  }
  return (
    <div class="empty" data-testid="empty-list" role="status">
      <p>
        No {tab} pauses {active.join(", ")}.
        {hiddenByFilters && (
          <>
            {" "}
            {tab === "pending"
              ? "Other pauses are waiting for a decision: these filters hide them."
              : "These filters hide the other decided pauses."}
          </>
        )}
      </p>
      <button type="button" class="button secondary" onClick={onClearFilters}>
        Clear filters
      </button>
    </div>
  );
}
