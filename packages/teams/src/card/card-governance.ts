import type { Pause } from "@countersign/core";

/**
 * What policy says about a pause, for the card: the rule that routed it,
 * the quorum and its progress, an escalation. Read from the server's
 * `pause.routing`, never from agent-supplied `metadata`, so an agent cannot
 * print "approved by the CFO" on its own card.
 */
export interface CardGovernance {
  /** Name of the policy rule that routed the pause. */
  rule?: string;
  /** Distinct approvals the pause needs; progress shows when above 1. */
  approvalsRequired?: number;
  /** Identities that have approved so far. */
  approvedBy?: string[];
  /** The group or target the pause was escalated to after `escalate_after`. */
  escalatedTo?: string;
}

/** Overrides or adds to what `pause.routing` says (e.g. a routing kept outside the server). */
export type GovernanceSource = (
  pause: Pause,
) => CardGovernance | null | undefined | Promise<CardGovernance | null | undefined>;

/** The governance view of a pause: the option first, then `pause.routing`, then the deciding rule. */
export async function readGovernance(
  pause: Pause,
  source: GovernanceSource | undefined,
): Promise<CardGovernance> {
  const routing = pause.routing;
  const fromRouting: CardGovernance = routing
    ? {
        rule: routing.rule,
        approvalsRequired: routing.approvals_required,
        approvedBy: routing.approvals.map((approval) => approval.id),
        ...(routing.escalated_at !== null &&
          routing.escalation && { escalatedTo: routing.escalation.to.join(", ") || "the escalation group" }),
      }
    : {};
  const merged: CardGovernance = { ...fromRouting, ...((await source?.(pause)) ?? {}) };
  const rule = merged.rule ?? pause.decision?.decided_by.rule;
  return rule === undefined ? merged : { ...merged, rule };
}
