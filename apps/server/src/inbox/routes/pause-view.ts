import { CountersignError, type Pause, type Routing } from "@countersign/core";
import { decisionRights } from "@countersign/core/server";
import type { WebSession } from "../../web-session/web-sessions.ts";
import type { InboxContext } from "../inbox-context.ts";

/** A pause as the inbox card shows it: the wire pause plus who asked, how it was routed, and what the viewer may do. */
export interface InboxPauseView {
  object: "inbox_pause";
  pause: Pause;
  /** The identity behind the agent key that opened it. */
  requested_by: string | null;
  /** Policy routing (the rule that fired, approvers, quorum) when a policy routed it. */
  routing: Routing | null;
  /** Approvals toward a quorum so far. */
  approvals: { identity: string; channel: string; at: string }[];
  /** The server's own answer to "may this person decide it now" (the same one it enforces). */
  viewer: { identity: string; can_decide: boolean; note: string | null };
}

export async function pauseView(
  context: InboxContext,
  pauseId: string,
  session: WebSession,
): Promise<InboxPauseView> {
  const pause = await context.service.getPause(pauseId);
  const record = await context.store.getPause(pauseId);
  if (!pause || !record) throw new CountersignError("not_found", `No pause ${pauseId}`, { pauseId });
  const approvals = await context.store.listApprovals(pauseId);
  const rights = await decisionRights(context.store, record, session.identity, {
    approvals,
    now: context.now(),
  });
  return {
    object: "inbox_pause",
    pause,
    requested_by: record.requestedBy,
    routing: record.routing,
    approvals: approvals.map((vote) => ({ identity: vote.identity, channel: vote.channel, at: vote.at })),
    viewer: {
      identity: session.identity,
      can_decide: rights.allowed,
      note: rights.allowed || rights.code === "already_decided" ? null : viewerNote(rights),
    },
  };
}

function viewerNote(rights: { code: string; reason: string; requester?: true }): string {
  if (rights.requester) return "You requested this action, so another approver must decide it.";
  if (rights.code === "already_approved")
    return "Your approval is recorded; it is waiting for more approvers.";
  return rights.reason;
}
