import { CountersignError, type Pause } from "@countersign/core";
import type { InboxContext } from "../inbox-context.ts";
import type { InboxSession } from "../session/session-cookie.ts";

/** A pause as the inbox card shows it: the wire pause plus who asked, how it was routed, and what the viewer may do. */
export interface InboxPauseView {
  object: "inbox_pause";
  pause: Pause;
  /** The identity behind the agent key that opened it. */
  requested_by: string | null;
  /** Policy routing (the rule that fired, approvers, quorum) when a policy routed it. */
  routing: Record<string, unknown> | null;
  /** Approvals toward a quorum so far. */
  approvals: { identity: string; channel: string; at: string }[];
  viewer: { identity: string; can_decide: boolean; note: string | null };
}

export async function pauseView(
  context: InboxContext,
  pauseId: string,
  session: InboxSession,
): Promise<InboxPauseView> {
  const pause = await context.service.getPause(pauseId);
  const record = await context.store.getPause(pauseId);
  if (!pause || !record) throw new CountersignError("not_found", `No pause ${pauseId}`, { pauseId });
  const approvals = await context.store.listApprovals(pauseId);
  const ownRequest = record.requestedBy !== null && record.requestedBy === session.identity;
  const alreadyApproved = approvals.some((vote) => vote.identity === session.identity);
  const pending = pause.status === "pending";
  return {
    object: "inbox_pause",
    pause,
    requested_by: record.requestedBy,
    routing: record.routing,
    approvals: approvals.map((vote) => ({ identity: vote.identity, channel: vote.channel, at: vote.at })),
    viewer: {
      identity: session.identity,
      can_decide: pending && !ownRequest && !alreadyApproved,
      note: !pending
        ? null
        : ownRequest
          ? "You requested this action, so another approver must decide it."
          : alreadyApproved
            ? "Your approval is recorded; it is waiting for more approvers."
            : null,
    },
  };
}
