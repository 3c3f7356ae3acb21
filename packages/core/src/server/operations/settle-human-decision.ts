import type { Routing } from "../../protocol/pause.ts";
import type { ApprovalVote, DelegationUse, PauseRecord } from "../../store/records.ts";
import type { Approver, DecideInput } from "../approval-service.ts";
import { issueProof } from "../proof-issuer.ts";
import type { ServiceContext } from "../service-context.ts";
import { settlePause } from "./settle-pause.ts";

/** A decision made by a delegate: whom they stood in for, and the delegation the write must find in force. */
export interface Delegated {
  onBehalfOf: string;
  use: DelegationUse;
  /** The delegation was already checked in the write that counted this vote (a quorum's last approval). */
  counted?: true;
}

/**
 * Settles a pause with a person's decision: signs the proof (naming the
 * policy rule and version, the quorum's approvals, an override) and writes
 * it with a compare-and-set.
 */
export async function settleHumanDecision(
  context: ServiceContext,
  record: PauseRecord,
  input: DecideInput,
  approver: Approver,
  options: {
    routing: Routing | null;
    approvals?: ApprovalVote[] | undefined;
    override?: { reason: string };
    delegated?: Delegated | undefined;
  },
): Promise<PauseRecord> {
  const now = context.now();
  const approved = input.decision === "approve";
  const status = approved ? "approved" : "rejected";
  const { delegated } = options;
  const decidedBy = {
    kind: "human" as const,
    id: approver.identity,
    channel: approver.channel,
    ...(delegated && { on_behalf_of: delegated.onBehalfOf }),
  };
  const reason = input.reason ?? options.override?.reason ?? null;
  const data = input.data ?? null;
  const { routing, approvals } = options;
  const approvalList = approvals?.map((vote) => ({
    id: vote.identity,
    channel: vote.channel,
    at: vote.at,
    ...(vote.onBehalfOf && { on_behalf_of: vote.onBehalfOf }),
  }));
  const proof = await issueProof(
    record,
    {
      decision: status,
      decidedBy,
      reason,
      data,
      extra: {
        ...(routing && { policy: { rule: routing.rule, version: routing.policy_version } }),
        ...(approvalList && { approvals: approvalList }),
        ...(options.override && { override: true }),
      },
    },
    { keys: context.keys.signing, now, ttlSeconds: context.proofTtlSeconds },
  );
  return settlePause(
    context,
    record,
    {
      status,
      decision: { status, decided_by: decidedBy, reason, data, decided_at: now.toISOString() },
      proof,
    },
    [
      {
        type: "pause.decided",
        pauseId: record.pauseId,
        agentId: record.agentId,
        actor: { kind: options.override ? "admin" : "human", id: approver.identity },
        at: now.toISOString(),
        data: {
          decision: status,
          channel: approver.channel,
          reason,
          edited: data !== null,
          proof_id: proof.proof_id,
          ...(routing && { rule: routing.rule, policy_version: routing.policy_version }),
          ...(approvalList && { approvals: approvalList.map((entry) => entry.id) }),
          ...(options.override && { override: true }),
          ...(delegated && {
            on_behalf_of: delegated.onBehalfOf,
            delegation_id: delegated.use.delegationId,
          }),
        },
      },
    ],
    delegated && !delegated.counted ? delegated.use : undefined,
  );
}
