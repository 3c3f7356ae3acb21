import type { PauseRecord } from "../../store/records.ts";
import type { Store } from "../../store/store.ts";

/** The most pauses one insights read looks at (newest first); past it the window is cut short. */
export const MAX_INSIGHT_PAUSES = 50_000;

/**
 * The pauses opened since `since`, newest first, paged through the store's
 * list (no new store operation: insights are a read of what is there).
 * `truncated` when more than `MAX_INSIGHT_PAUSES` were opened in the window.
 */
export async function pausesInWindow(
  store: Store,
  since: string,
): Promise<{ pauses: PauseRecord[]; truncated: boolean }> {
  const pauses: PauseRecord[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await store.listPauses({ limit: 100, ...(cursor !== undefined && { cursor }) });
    for (const pause of page.items) {
      if (pause.createdAt < since) return { pauses, truncated: false };
      if (pauses.length >= MAX_INSIGHT_PAUSES) return { pauses, truncated: true };
      pauses.push(pause);
    }
    if (page.nextCursor === null) return { pauses, truncated: false };
    cursor = page.nextCursor;
  }
}
