import { CountersignError, isCountersignError } from "../../errors/countersign-error.ts";
import type { Routing } from "../../protocol/pause.ts";
import type { PauseRecord } from "../../store/records.ts";
import type { Approver, DecideInput } from "../approval-service.ts";
import type { ServiceContext } from "../service-context.ts";
import { type Delegated, settleHumanDecision } from "./settle-human-decision.ts";
import { alreadyDecided, delegationEnded } from "./settle-pause.ts";

/**
 * Counts one person's approval toward the pause's quorum (the store keeps
 * one vote per identity, atomically). Below the quorum the pause stays
 * pending and shows its progress; the approval that reaches it settles the
 * pause as approved, naming every approver in the proof.
 */
export async function countApproval(
  context: ServiceContext,
  record: PauseRecord,
  input: DecideInput,
  approver: Approver,
  routing: Routing,
  delegated?: Delegated,
): Promise<PauseRecord> {
  const { pauseId } = record;
  const required = routing.approvals_required;
  const at = context.now().toISOString();
  const onBehalfOf = delegated?.onBehalfOf ?? null;
  const result = await context.store.addApproval(
    { pauseId, identity: approver.identity, channel: approver.channel, at, data: null, onBehalfOf },
    {
      type: "pause.decided",
      pauseId,
      agentId: record.agentId,
      actor: { kind: "human", id: approver.identity },
      at,
      data: {
        vote: "approve",
        channel: approver.channel,
        reason: input.reason ?? null,
        approvals_required: required,
        rule: routing.rule,
        ...(delegated && { on_behalf_of: onBehalfOf, delegation_id: delegated.use.delegationId }),
      },
    },
    delegated ? { delegation: delegated.use } : {},
  );
  if (!result) throw new CountersignError("not_found", `No pause ${pauseId}`, { pauseId });
  if (result.outcome === "delegation_ended") throw delegationEnded(pauseId);
  if (result.outcome === "not_pending")
    throw alreadyDecided((await context.store.getPause(pauseId)) ?? record);
  if (result.outcome === "duplicate") {
    throw new CountersignError(
      "already_approved",
      `${approver.identity}${onBehalfOf ? ` (for ${onBehalfOf})` : ""} has already approved this pause, in person or through a delegate; it needs ${required} distinct approvers (${result.approvals.length} so far)`,
      { pauseId },
    );
  }
  const current = await recordProgress(context, pauseId);
  if (result.approvals.length < required) return current ?? record;
  try {
    return await settleHumanDecision(context, current ?? record, input, approver, {
      routing,
      approvals: result.approvals,
      delegated: delegated && { ...delegated, counted: true },
    });
  } catch (error) {
    // Two final approvals at once: the other one settled it, and this approval counted toward it.
    if (!isCountersignError(error, "already_decided")) throw error;
    const settled = await context.store.getPause(pauseId);
    if (settled?.status === "approved") return settled;
    throw error;
  }
}

/**
 * Copies the approvals into the pause's routing so everyone sees the
 * progress. Approvals only grow, so writing the latest list until a re-read
 * shows no newer one leaves the full list in place even when approvals race.
 */
async function recordProgress(context: ServiceContext, pauseId: string): Promise<PauseRecord | null> {
  let written = "";
  let pause: PauseRecord | null = null;
  for (let attempt = 0; attempt < 10; attempt++) {
    const approvals = (await context.store.listApprovals(pauseId)).map((vote) => ({
      id: vote.identity,
      channel: vote.channel,
      at: vote.at,
      ...(vote.onBehalfOf && { on_behalf_of: vote.onBehalfOf }),
    }));
    const serialized = JSON.stringify(approvals);
    if (serialized === written) break;
    pause = await context.store.updateRouting(pauseId, { approvals }, []);
    written = serialized;
    if (pause === null || pause.status !== "pending") break;
  }
  return pause;
}
