import type { BatchDecisionItem } from "@countersign/core";
import { postJson } from "./http.ts";

/** The server's `MAX_BATCH_DECISIONS` (a value import would pull the core package into the page). */
const MAX_BATCH_DECISIONS = 100;

interface BatchReply {
  results: BatchDecisionItem[];
}

/**
 * Decides these pauses through `POST /inbox/api/decisions`, at most
 * MAX_BATCH_DECISIONS per request; one result per pause, in order.
 */
export async function decideBatch(
  pauseIds: readonly string[],
  decision: "approve" | "reject",
  reason: string | undefined,
): Promise<BatchDecisionItem[]> {
  const results: BatchDecisionItem[] = [];
  for (let start = 0; start < pauseIds.length; start += MAX_BATCH_DECISIONS) {
    const reply = await postJson<BatchReply>("/inbox/api/decisions", {
      pause_ids: pauseIds.slice(start, start + MAX_BATCH_DECISIONS),
      decision,
      ...(reason !== undefined && { reason }),
    });
    results.push(...reply.results);
  }
  return results;
}
