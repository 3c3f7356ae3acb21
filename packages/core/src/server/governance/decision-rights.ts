import type { ApprovalVote, PauseRecord } from "../../store/records.ts";
import type { Store } from "../../store/store.ts";
import { isRoutedApprover, readRouting, sameIdentity } from "../routing.ts";
import { findApprover, type KnownApprover } from "./approvers.ts";

export type DecisionRights =
  | { allowed: true; approver: KnownApprover }
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
 * pause to them (groups read now); and, for a quorum, they have not approved
 * it already. An admin override skips routing and quorum, nothing else.
 */
export async function decisionRights(
  store: Store,
  record: PauseRecord,
  identity: string,
  options: { override?: boolean; approvals?: readonly ApprovalVote[] } = {},
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
  const approver = await findApprover(store, identity);
  if (!approver) {
    return {
      allowed: false,
      code: "forbidden",
      reason: `${identity} is not an active approver here: no approver identity and no live approver or admin key`,
    };
  }
  if (options.override) return { allowed: true, approver };
  const routing = readRouting(record.routing);
  if (routing?.approvers && !isRoutedApprover(routing.approvers, approver.identity, approver.groups)) {
    const routed =
      routing.approvers.length > 0 ? routing.approvers.join(", ") : "nobody (an admin override only)";
    return {
      allowed: false,
      code: "forbidden",
      reason: `${identity} may not decide this pause: policy rule ${routing.rule} routes it to ${routed}`,
    };
  }
  const required = routing?.approvals_required ?? 1;
  if (required > 1) {
    const approvals = options.approvals ?? (await store.listApprovals(record.pauseId));
    if (approvals.some((vote) => sameIdentity(vote.identity, approver.identity))) {
      return {
        allowed: false,
        code: "already_approved",
        reason: `${approver.identity} has already approved this pause; it needs ${required} distinct approvers (${approvals.length} so far)`,
      };
    }
  }
  return { allowed: true, approver };
}
