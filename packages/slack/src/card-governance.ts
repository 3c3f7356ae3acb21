import type { Pause } from "@countersign/core";

/**
 * What policy says about a pause, for the card: the rule that routed it,
 * the quorum and its progress, an escalation. The pause wire shape does not
 * carry routing yet, so the server passes it through `slackChannel({ governance })`.
 * Agent-supplied `metadata` is never read for this: an agent must not be able
 * to print "approved by the CFO" on its own card.
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

export type GovernanceSource = (
  pause: Pause,
) => CardGovernance | null | undefined | Promise<CardGovernance | null | undefined>;

/** The governance view of a pause: the server's source first, then what the decision itself names. */
export async function readGovernance(
  pause: Pause,
  source: GovernanceSource | undefined,
): Promise<CardGovernance> {
  const fromSource = (await source?.(pause)) ?? {};
  const decidedByRule = pause.decision?.decided_by.rule;
  return { ...fromSource, rule: fromSource.rule ?? decidedByRule };
}
