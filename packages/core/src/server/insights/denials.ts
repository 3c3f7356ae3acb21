import type { ActionData } from "../../protocol/action.ts";
import type { Denial } from "../../protocol/insights.ts";
import type { PauseRecord } from "../../store/records.ts";

const MASKED = "[masked]";

/** Every rejection among `pauses` (people's and policy's), oldest first, with the named data fields masked. */
export function denialsOf(pauses: readonly PauseRecord[], mask: readonly string[]): Denial[] {
  return pauses
    .filter((pause) => pause.status === "rejected" && pause.decision !== null)
    .map((pause) => ({
      pause_id: pause.pauseId,
      agent_id: pause.agentId,
      action_type: pause.action.type,
      title: pause.action.title ?? null,
      data: pause.action.data === undefined ? null : masked(pause.action.data, mask),
      reason: pause.decision!.reason,
      decided_by: pause.decision!.decided_by,
      created_at: pause.createdAt,
      decided_at: pause.decision!.decided_at,
    }))
    .sort(
      (left, right) =>
        left.created_at.localeCompare(right.created_at) || left.pause_id.localeCompare(right.pause_id),
    );
}

/** A copy of `data` with each dotted path in `mask` replaced by "[masked]" where present. */
export function masked(data: ActionData, mask: readonly string[]): ActionData {
  const copy = structuredClone(data);
  for (const path of mask) {
    const segments = path.split(".");
    let current: unknown = copy;
    for (const [index, segment] of segments.entries()) {
      if (current === null || typeof current !== "object" || !Object.hasOwn(current, segment)) break;
      if (index === segments.length - 1) (current as Record<string, unknown>)[segment] = MASKED;
      else current = (current as Record<string, unknown>)[segment];
    }
  }
  return copy;
}
