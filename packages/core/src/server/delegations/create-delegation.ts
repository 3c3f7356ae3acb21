import { CountersignError } from "../../errors/countersign-error.ts";
import { type DelegationRequest, MAX_DELEGATION_DAYS } from "../../protocol/delegation.ts";
import { newId } from "../../protocol/ids.ts";
import type { DelegationRecord } from "../../store/records.ts";
import { findApprover } from "../governance/approvers.ts";
import { sameIdentity } from "../routing.ts";
import type { ServiceContext } from "../service-context.ts";

/** Who asks: the identity behind the key or inbox session, and whether they are an admin. */
export interface DelegationActor {
  identity: string | null;
  admin: boolean;
}

const MAX_MILLISECONDS = MAX_DELEGATION_DAYS * 86_400_000;

/**
 * Hands an approver's approvals to another approver for a period. The
 * delegator is the caller (an admin may name someone else in `from`); both
 * must be known, active approvers, and different people. A delegation the
 * other way that overlaps the period is refused (`409`), so two people can
 * never hand their approvals to each other. Decisions through it are checked
 * again at each use (routing, requester, period, revocation).
 */
export async function createDelegation(
  context: Pick<ServiceContext, "store" | "now">,
  request: DelegationRequest,
  actor: DelegationActor,
): Promise<DelegationRecord> {
  const named = request.from ?? actor.identity;
  if (named === null) {
    throw new CountersignError(
      "forbidden",
      "This key has no identity to delegate from; an admin may name `from`",
      {
        errors: [{ path: "from", message: "required for a key without an identity" }],
      },
    );
  }
  const forSomeoneElse = actor.identity === null || !sameIdentity(named, actor.identity);
  if (forSomeoneElse && !actor.admin) {
    throw new CountersignError("forbidden", `Only ${named} or an admin may delegate ${named}'s approvals`, {
      errors: [{ path: "from", message: "must be you unless you are an admin" }],
    });
  }
  const from = await findApprover(context.store, named);
  if (!from) {
    throw new CountersignError(
      "invalid_request",
      `${named} is not an active approver: there is nothing to delegate`,
      {
        errors: [{ path: "from", message: "must be a known, active approver" }],
      },
    );
  }
  const to = await findApprover(context.store, request.to);
  if (!to) {
    throw new CountersignError("invalid_request", `${request.to} is not an active approver`, {
      errors: [{ path: "to", message: "must be a known, active approver" }],
    });
  }
  if (sameIdentity(from.identity, to.identity)) {
    throw new CountersignError("invalid_request", "An approver cannot delegate to themselves", {
      errors: [{ path: "to", message: "must be someone other than from" }],
    });
  }
  const now = context.now();
  const startsAt = request.starts_at === undefined ? now : new Date(request.starts_at);
  const endsAt = new Date(request.ends_at);
  if (endsAt.getTime() <= Math.max(now.getTime(), startsAt.getTime())) {
    throw new CountersignError("invalid_request", "A delegation must end in the future, after it starts", {
      errors: [{ path: "ends_at", message: "must be after starts_at and in the future" }],
    });
  }
  if (endsAt.getTime() - startsAt.getTime() > MAX_MILLISECONDS) {
    throw new CountersignError(
      "invalid_request",
      `A delegation may last ${MAX_DELEGATION_DAYS} days at most`,
      {
        errors: [{ path: "ends_at", message: `must be at most ${MAX_DELEGATION_DAYS} days after starts_at` }],
      },
    );
  }
  const createdBy = actor.identity ?? "admin";
  const delegation: DelegationRecord = {
    delegationId: newId("delegation"),
    from: from.identity,
    to: to.identity,
    startsAt: startsAt.toISOString(),
    endsAt: endsAt.toISOString(),
    actionTypes: request.action_types ?? null,
    reason: request.reason ?? null,
    createdBy,
    createdAt: now.toISOString(),
    revokedAt: null,
    revokedBy: null,
  };
  const result = await context.store.createDelegation(delegation, [
    {
      type: "delegation.created",
      pauseId: null,
      agentId: null,
      actor: { kind: forSomeoneElse ? "admin" : "human", id: createdBy },
      at: delegation.createdAt,
      data: delegationTerms(delegation),
    },
  ]);
  if (!result.created) {
    const reverse = result.reverse;
    throw new CountersignError(
      "delegation_loop",
      `${to.identity} has delegated their approvals to ${from.identity} for an overlapping period (${reverse.delegationId}, until ${reverse.endsAt}); delegations never run both ways`,
      { errors: [{ path: "to", message: "delegates to you for an overlapping period" }] },
    );
  }
  return delegation;
}

/** A delegation's terms, as the audit log records them. */
export function delegationTerms(delegation: DelegationRecord): Record<string, unknown> {
  return {
    delegation_id: delegation.delegationId,
    from: delegation.from,
    to: delegation.to,
    starts_at: delegation.startsAt,
    ends_at: delegation.endsAt,
    action_types: delegation.actionTypes,
    reason: delegation.reason,
  };
}
