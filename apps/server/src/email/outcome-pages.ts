import type { Pause } from "@countersign/core";
import { messagePage } from "./page-layout.ts";
import { formatUtc, pauseFacts } from "./pause-facts.ts";

/** The pause is no longer pending: say who settled it, and how. */
export function closedPage(pause: Pause): Response {
  const title = pauseFacts(pause).title;
  const decision = pause.decision;
  switch (pause.status) {
    case "expired":
      return messagePage(409, "This request has expired", [
        `Nobody decided “${title}” in time, so it counts as rejected. Nothing was changed.`,
      ]);
    case "cancelled":
      return messagePage(409, "This request was cancelled", [
        `The agent withdrew “${title}”. There is nothing left to decide.`,
      ]);
    default: {
      const verb = pause.status === "approved" ? "approved" : "rejected";
      const by = decision ? ` by ${decision.decided_by.id}` : "";
      const when = decision ? ` on ${formatUtc(decision.decided_at)}` : "";
      return messagePage(409, `Already ${verb}${by}`, [
        `“${title}” was already ${verb}${by}${when}. Your link did not change anything.`,
        ...(decision?.reason ? [`Their reason: ${decision.reason}`] : []),
      ]);
    }
  }
}

/** What the person's own decision did. */
export function decidedPage(pause: Pause, identity: string): Response {
  const title = pauseFacts(pause).title;
  if (pause.status === "pending") {
    const routing = pause.routing;
    const progress = routing ? ` (${routing.approvals.length} of ${routing.approvals_required} so far)` : "";
    return messagePage(200, "Your approval is counted", [
      `You approved “${title}” as ${identity}${progress}. It goes ahead once enough people have approved.`,
    ]);
  }
  if (pause.status === "approved") {
    return messagePage(200, "Approved", [`You approved “${title}” as ${identity}. The agent may go ahead.`]);
  }
  if (pause.status === "rejected") {
    return messagePage(200, "Rejected", [
      `You rejected “${title}” as ${identity}. The agent will not do it.`,
      ...(pause.decision?.reason ? [`Your reason, as the agent sees it: ${pause.decision.reason}`] : []),
    ]);
  }
  return closedPage(pause);
}
