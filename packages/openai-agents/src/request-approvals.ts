import type { Action, Pause } from "@countersign/core";
import type { RunToolApprovalItem } from "@openai/agents";
import {
  type ApprovalSource,
  type GatedInterruption,
  gatedInterruptions,
  stateOf,
} from "./gated-interruptions.ts";

export interface OpenedApproval {
  item: RunToolApprovalItem;
  toolName: string;
  callId: string;
  pause: Pause;
  /** The action the pause asks about; its proof must be bound to exactly this. */
  action: Action;
}

export interface RequestApprovalsOptions {
  signal?: AbortSignal;
}

/**
 * Opens one pause per gated interruption (idempotent on the run, the call id
 * and the arguments: calling it again on this run's state, from any process,
 * returns the same pauses) and returns at once. Use it where the run stops,
 * save `result.state.toString()`, and resume from the `pause.decided` webhook
 * with `resumeWithApprovals`.
 */
export async function requestApprovals(
  source: ApprovalSource,
  options: RequestApprovalsOptions = {},
): Promise<OpenedApproval[]> {
  const gated = gatedInterruptions(stateOf(source)).filter(
    (entry): entry is GatedInterruption & { call: NonNullable<GatedInterruption["call"]> } =>
      entry.call !== null,
  );
  return Promise.all(
    gated.map(async (entry) => {
      const { pause, action } = await entry.gate.tool.open(entry.call, options);
      return { item: entry.item, toolName: entry.toolName, callId: entry.callId, pause, action };
    }),
  );
}
