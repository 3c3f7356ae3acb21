import { CountersignError } from "../../errors/countersign-error.ts";
import type { Routing } from "../../protocol/pause.ts";
import type { PauseRecord } from "../../store/records.ts";
import type { Approver, DecideInput } from "../approval-service.ts";
import { isRoutedApprover, readRouting, sameIdentity } from "../routing.ts";
import type { ServiceContext } from "../service-context.ts";
import { freshPause } from "./expire-pause.ts";
import { countApproval } from "./quorum-approval.ts";
import { settleHumanDecision } from "./settle-human-decision.ts";
import { alreadyDecided } from "./settle-pause.ts";

export interface DecideOptions {
  /** Break-glass by an admin: bypasses routing and quorum, never the self-approval rule. */
  override?: { reason: string };
}

/**
 * A human decides a pending pause. Rules: the pause exists and is pending
 * (else `already_decided`); the approver is not the requester, and is among
 * the approvers policy routed it to (`forbidden`, with the reason); edited
 * data only with an approval, and only where one approval suffices. With a
 * quorum, an approval is counted once per person and the pause is approved
 * when enough distinct people have approved; any reject rejects at once.
 * The final write is a compare-and-set.
 */
export async function decidePause(
  context: ServiceContext,
  pauseId: string,
  input: DecideInput,
  approver: Approver,
  options: DecideOptions = {},
): Promise<PauseRecord> {
  const record = await freshPause(context, pauseId);
  if (!record) throw new CountersignError("not_found", `No pause ${pauseId}`, { pauseId });
  if (record.status !== "pending") throw alreadyDecided(record);
  if (record.requestedBy !== null && sameIdentity(record.requestedBy, approver.identity)) {
    throw new CountersignError("forbidden", "An approver may not decide a pause they requested themselves", {
      pauseId,
    });
  }
  if (input.data !== undefined && input.decision !== "approve") {
    throw new CountersignError("invalid_request", "Edited data can only accompany an approval", {
      pauseId,
      errors: [{ path: "data", message: "only allowed with decision approve" }],
    });
  }
  const routing = readRouting(record.routing);
  if (options.override) {
    return settleHumanDecision(context, record, input, approver, {
      routing,
      override: options.override,
    });
  }
  await checkRoutedApprover(context, record, routing, approver);
  const required = routing?.approvals_required ?? 1;
  if (input.decision === "reject" || required <= 1) {
    const approvals = required > 1 ? await context.store.listApprovals(pauseId) : undefined;
    return settleHumanDecision(context, record, input, approver, { routing, approvals });
  }
  if (input.data !== undefined) {
    throw new CountersignError(
      "invalid_request",
      `This pause needs ${required} approvals, so its arguments cannot be edited: approve as requested or reject`,
      { pauseId, errors: [{ path: "data", message: "edits need a single approver" }] },
    );
  }
  return countApproval(context, record, input, approver, routing as Routing);
}

async function checkRoutedApprover(
  context: ServiceContext,
  record: PauseRecord,
  routing: Routing | null,
  approver: Approver,
): Promise<void> {
  if (routing === null || routing.approvers === null) return;
  // Groups are resolved now, not when the pause opened: a person added to finance can act on open pauses.
  const identity = await context.store.getIdentity(approver.identity);
  if (isRoutedApprover(routing.approvers, approver.identity, identity?.groups ?? [])) return;
  const routed =
    routing.approvers.length > 0 ? routing.approvers.join(", ") : "nobody (an admin override only)";
  throw new CountersignError(
    "forbidden",
    `${approver.identity} may not decide this pause: policy rule ${routing.rule} routes it to ${routed}`,
    { pauseId: record.pauseId },
  );
}
