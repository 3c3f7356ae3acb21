import type { Delegation, DelegationStatus } from "../../protocol/delegation.ts";
import type { DelegationRecord } from "../../store/records.ts";

/** A delegation's state at `now`: revoked, not begun, over, or in force. */
export function delegationStatus(delegation: DelegationRecord, now: Date): DelegationStatus {
  if (delegation.revokedAt !== null) return "revoked";
  if (Date.parse(delegation.startsAt) > now.getTime()) return "scheduled";
  if (Date.parse(delegation.endsAt) <= now.getTime()) return "ended";
  return "active";
}

/** The wire shape of a delegation. */
export function renderDelegation(delegation: DelegationRecord, now: Date): Delegation {
  return {
    object: "delegation",
    delegation_id: delegation.delegationId,
    status: delegationStatus(delegation, now),
    from: delegation.from,
    to: delegation.to,
    starts_at: delegation.startsAt,
    ends_at: delegation.endsAt,
    action_types: delegation.actionTypes,
    reason: delegation.reason,
    created_by: delegation.createdBy,
    created_at: delegation.createdAt,
    revoked_at: delegation.revokedAt,
    revoked_by: delegation.revokedBy,
  };
}
