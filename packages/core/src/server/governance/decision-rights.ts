import type { Routing } from "../../protocol/pause.ts";
import type { ApprovalVote, DelegationRecord, PauseRecord } from "../../store/records.ts";
import type { Store } from "../../store/store.ts";
import { delegationCovers, delegationsTo } from "../delegations/delegation-coverage.ts";
import { isRoutedApprover, sameIdentity } from "../routing.ts";
import { findApprover, type KnownApprover } from "./approvers.ts";

export type DecisionRights =
  | {
      allowed: true;
      approver: KnownApprover;
      /** Set when the person decides as a delegate: the approver they stand in for, and the delegation. */
      delegation?: { onBehalfOf: string; delegationId: string };
    }
  | {
      allowed: false;
      code: "already_decided" | "forbidden" | "already_approved";
      /** Why not, as the API reports it; `requester` marks the self-approval refusal. */
      reason: string;
      requester?: true;
    };

/**
 * Whether `identity` may decide this pause now — the one answer the API,
 * Slack, e-mail and the inbox all use, checked again at the moment of
 * deciding. In order: the pause is pending; the person is not the requester
 * (the agent's owner); they are a known, active approver; policy routed the
 * pause to them (groups read now) or to an approver who delegated to them
 * (one hop, see `delegatedSeat`); and, for a quorum, their seat is free.
 * An admin override skips routing and quorum, nothing else.
 */
export async function decisionRights(
  store: Store,
  record: PauseRecord,
  identity: string,
  options: {
    override?: boolean;
    approvals?: readonly ApprovalVote[];
    now?: Date;
    /** `findApprover(store, identity)` when the caller already has it (deciding many at once). */
    approver?: KnownApprover | null;
  } = {},
): Promise<DecisionRights> {
  if (record.status !== "pending") {
    return { allowed: false, code: "already_decided", reason: `This pause is already ${record.status}.` };
  }
  if (record.requestedBy !== null && sameIdentity(record.requestedBy, identity)) {
    return {
      allowed: false,
      code: "forbidden",
      requester: true,
      reason: `An approver may not decide a pause they requested themselves: ${identity} owns the agent key that opened it`,
    };
  }
  const approver = options.approver !== undefined ? options.approver : await findApprover(store, identity);
  if (!approver) {
    return {
      allowed: false,
      code: "forbidden",
      reason: `${identity} is not an active approver here: no approver identity and no live approver or admin key`,
    };
  }
  if (options.override) return { allowed: true, approver };
  const routing = record.routing;
  const required = routing?.approvals_required ?? 1;
  const approvals = required > 1 ? (options.approvals ?? (await store.listApprovals(record.pauseId))) : [];
  if (approvals.some((vote) => sameIdentity(vote.identity, approver.identity))) {
    return alreadyApproved(`${approver.identity} has already approved this pause`, required, approvals);
  }
  if (!routing?.approvers || isRoutedApprover(routing.approvers, approver.identity, approver.groups)) {
    const standIn = approvals.find(
      (vote) => vote.onBehalfOf && sameIdentity(vote.onBehalfOf, approver.identity),
    );
    if (standIn) {
      return alreadyApproved(
        `${standIn.identity} has already approved this pause on behalf of ${approver.identity}`,
        required,
        approvals,
      );
    }
    return { allowed: true, approver };
  }
  const seat = await delegatedSeat(store, record, approver, routing, approvals, options.now ?? new Date());
  if (seat.found) {
    return {
      allowed: true,
      approver,
      delegation: { onBehalfOf: seat.from.identity, delegationId: seat.delegation.delegationId },
    };
  }
  if (seat.taken) return alreadyApproved(seat.taken, required, approvals);
  const routed =
    routing.approvers.length > 0 ? routing.approvers.join(", ") : "nobody (an admin override only)";
  return {
    allowed: false,
    code: "forbidden",
    reason: `${identity} may not decide this pause: policy rule ${routing.rule} routes it to ${routed}`,
  };
}

function alreadyApproved(what: string, required: number, approvals: readonly ApprovalVote[]): DecisionRights {
  return {
    allowed: false,
    code: "already_approved",
    reason: `${what}; it needs ${required} distinct approvers (${approvals.length} so far)`,
  };
}

type Seat =
  | { found: true; from: KnownApprover; delegation: DelegationRecord }
  | { found: false; taken: string | null };

/**
 * A delegate's way in: a delegation in force to this person from an approver
 * the pause is routed to (that approver still active, groups read now), whose
 * seat is still free in a quorum. One hop only: what was delegated to the
 * delegator is not passed on. Never the delegator's own request.
 */
async function delegatedSeat(
  store: Store,
  record: PauseRecord,
  delegate: KnownApprover,
  routing: Routing,
  approvals: readonly ApprovalVote[],
  now: Date,
): Promise<Seat> {
  const inForce = await store.listDelegations({ activeAt: now.toISOString(), involving: delegate.identity });
  let taken: string | null = null;
  for (const delegation of delegationsTo(inForce, delegate.identity)) {
    if (!delegationCovers(delegation, record, now)) continue;
    const from = await findApprover(store, delegation.from);
    if (!from || !isRoutedApprover(routing.approvers ?? [], from.identity, from.groups)) continue;
    const voted = approvals.find(
      (vote) =>
        sameIdentity(vote.identity, from.identity) ||
        (vote.onBehalfOf !== null &&
          vote.onBehalfOf !== undefined &&
          sameIdentity(vote.onBehalfOf, from.identity)),
    );
    if (voted) {
      taken = `${from.identity}'s seat in this quorum is taken (approved by ${voted.identity})`;
      continue;
    }
    return { found: true, from, delegation };
  }
  return { found: false, taken };
}
