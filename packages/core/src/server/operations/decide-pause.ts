import { CountersignError } from "../../errors/countersign-error.ts";
import { inSpan } from "../../observability/tracing.ts";
import type { Routing } from "../../protocol/pause.ts";
import type { PauseRecord } from "../../store/records.ts";
import type { Approver, DecideInput } from "../approval-service.ts";
import { decisionRights } from "../governance/decision-rights.ts";
import type { ServiceContext } from "../service-context.ts";
import { freshPause } from "./expire-pause.ts";
import { countApproval } from "./quorum-approval.ts";
import { type Delegated, settleHumanDecision } from "./settle-human-decision.ts";
import { alreadyDecided } from "./settle-pause.ts";

export interface DecideOptions {
  /** Break-glass by an admin: bypasses routing and quorum, never the self-approval rule. */
  override?: { reason: string };
}

/**
 * A human decides a pending pause. Who may decide is `decisionRights`,
 * checked now, not when the pause opened: pending (else `already_decided`),
 * not the requester, a known active approver, routed to them (`forbidden`,
 * with the reason). Edited data only with an approval, and only where one
 * approval suffices. With a quorum, an approval is counted once per person
 * and the pause is approved when enough distinct people have approved; any
 * reject rejects at once. The final write is a compare-and-set. A delegate
 * decides in the name of the approver they stand in for (`on_behalf_of`),
 * and only while the delegation is in force at the moment of writing.
 */
async function decidePauseUntraced(
  context: ServiceContext,
  pauseId: string,
  input: DecideInput,
  approver: Approver,
  options: DecideOptions = {},
): Promise<PauseRecord> {
  const record = await freshPause(context, pauseId);
  if (!record) throw new CountersignError("not_found", `No pause ${pauseId}`, { pauseId });
  if (record.status !== "pending") throw alreadyDecided(record);
  if (input.data !== undefined && input.decision !== "approve") {
    throw new CountersignError("invalid_request", "Edited data can only accompany an approval", {
      pauseId,
      errors: [{ path: "data", message: "only allowed with decision approve" }],
    });
  }
  const now = context.now();
  const rights = await decisionRights(context.store, record, approver.identity, {
    override: options.override !== undefined,
    now,
  });
  if (!rights.allowed) {
    if (rights.code === "already_decided") throw alreadyDecided(record);
    throw new CountersignError(rights.code, rights.reason, { pauseId });
  }
  // Proofs and quorums name the person as the server knows them, whatever the channel spelled.
  const decider: Approver = { ...approver, identity: rights.approver.identity };
  const routing = record.routing;
  if (options.override) {
    return settleHumanDecision(context, record, input, decider, { routing, override: options.override });
  }
  // A delegate's decision commits only while the delegation is still in force (checked in the write).
  const delegated: Delegated | undefined = rights.delegation && {
    onBehalfOf: rights.delegation.onBehalfOf,
    use: { delegationId: rights.delegation.delegationId, at: now.toISOString() },
  };
  const required = routing?.approvals_required ?? 1;
  if (input.decision === "reject" || required <= 1) {
    const approvals = required > 1 ? await context.store.listApprovals(pauseId) : undefined;
    return settleHumanDecision(context, record, input, decider, { routing, approvals, delegated });
  }
  if (input.data !== undefined) {
    throw new CountersignError(
      "invalid_request",
      `This pause needs ${required} approvals, so its arguments cannot be edited: approve as requested or reject`,
      { pauseId, errors: [{ path: "data", message: "edits need a single approver" }] },
    );
  }
  return countApproval(context, record, input, decider, routing as Routing, delegated);
}

/** A human decides (see `decidePauseUntraced`), inside the `countersign.pause.decide` span. */
export function decidePause(
  context: ServiceContext,
  pauseId: string,
  input: DecideInput,
  approver: Approver,
  options: DecideOptions = {},
): Promise<PauseRecord> {
  return inSpan(
    "countersign.pause.decide",
    {
      "countersign.pause_id": pauseId,
      "countersign.decision": input.decision,
      ...(approver.channel && { "countersign.channel": approver.channel }),
    },
    async (span) => {
      const decided = await decidePauseUntraced(context, pauseId, input, approver, options);
      span.setAttribute("countersign.status", decided.status);
      return decided;
    },
  );
}
