import type { Grant, GrantStatus } from "../../protocol/grant.ts";
import type { GrantRecord } from "../../store/records.ts";

/** A grant's state at `now`: revoked, expired, used up, or still usable. */
export function grantStatus(grant: GrantRecord, now: Date): GrantStatus {
  if (grant.revokedAt !== null) return "revoked";
  if (Date.parse(grant.expiresAt) <= now.getTime()) return "expired";
  if (grant.maxCount !== null && grant.usedCount >= grant.maxCount) return "exhausted";
  if (grant.maxTotal !== null && grant.usedTotal >= grant.maxTotal.max) return "exhausted";
  return "active";
}

/** The wire shape of a grant, with what is left of it. */
export function renderGrant(grant: GrantRecord, now: Date): Grant {
  return {
    object: "grant",
    grant_id: grant.grantId,
    status: grantStatus(grant, now),
    granted_by: grant.grantedBy,
    agent_ids: grant.agentIds,
    action_type: grant.actionType,
    conditions: grant.conditions,
    max_count: grant.maxCount,
    max_total: grant.maxTotal,
    used_count: grant.usedCount,
    used_total: grant.usedTotal,
    remaining_count: grant.maxCount === null ? null : Math.max(0, grant.maxCount - grant.usedCount),
    remaining_total: grant.maxTotal === null ? null : Math.max(0, grant.maxTotal.max - grant.usedTotal),
    reason: grant.reason,
    created_at: grant.createdAt,
    expires_at: grant.expiresAt,
    revoked_at: grant.revokedAt,
    revoked_by: grant.revokedBy,
  };
}

/** The grant's terms, as an audit event records them (so an evidence bundle carries them). */
export function grantTerms(grant: GrantRecord): Record<string, unknown> {
  return {
    grant_id: grant.grantId,
    granted_by: grant.grantedBy,
    agent_ids: grant.agentIds,
    action_type: grant.actionType,
    conditions: grant.conditions,
    max_count: grant.maxCount,
    max_total: grant.maxTotal,
    created_at: grant.createdAt,
    expires_at: grant.expiresAt,
  };
}
