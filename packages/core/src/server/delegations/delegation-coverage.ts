import { matchesGlob } from "../../policy/glob.ts";
import type { DelegationRecord, PauseRecord } from "../../store/records.ts";
import { sameIdentity } from "../routing.ts";

/**
 * Whether a delegation may carry a decision on this pause at `now`: in its
 * period, unrevoked, of an action type it covers, and not the delegator's own
 * request (a delegate can never stand in where the delegator could not decide).
 */
export function delegationCovers(
  delegation: DelegationRecord,
  pause: Pick<PauseRecord, "requestedBy" | "action">,
  now: Date,
): boolean {
  if (delegation.revokedAt !== null) return false;
  if (Date.parse(delegation.startsAt) > now.getTime()) return false;
  if (Date.parse(delegation.endsAt) <= now.getTime()) return false;
  if (pause.requestedBy !== null && sameIdentity(pause.requestedBy, delegation.from)) return false;
  if (delegation.actionTypes === null) return true;
  return delegation.actionTypes.some((pattern) => matchesGlob(pattern, pause.action.type));
}

/** The delegations in force now that hand someone's approvals to `delegate`, oldest first. */
export function delegationsTo(
  delegations: readonly DelegationRecord[],
  delegate: string,
): DelegationRecord[] {
  return delegations.filter((delegation) => sameIdentity(delegation.to, delegate)).reverse();
}
