import type { ActionData, Pause } from "@countersign/core";
import type { RunToolApprovalItem } from "@openai/agents";
import {
  type AnyRunState,
  type ApprovalSource,
  type GatedInterruption,
  gatedInterruptions,
  stateOf,
} from "./gated-interruptions.ts";

export interface ResolveApprovalsOptions {
  /**
   * Overall limit for waiting on each decision, in milliseconds; then the wait
   * fails with code `timeout`. Default: the pause's lifetime plus a minute.
   */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** The text the model reads for a call that was not approved. */
  rejectionMessage?: (pause: Pause) => string;
}

export interface ResolvedApproval {
  item: RunToolApprovalItem;
  toolName: string;
  callId: string;
  /** Null when the call could not be sent for approval (its arguments are not a JSON object). */
  pause: Pause | null;
  approved: boolean;
  /** What the model is told when the call is not approved. */
  message: string | null;
  /** The arguments the tool will run with: the approver's edits, or the call's own. */
  data: ActionData | null;
}

export interface ResolvedApprovals {
  state: AnyRunState;
  decisions: ResolvedApproval[];
}

/**
 * Opens (or finds) the pause of every gated interruption, waits for the
 * decisions, verifies each approval's proof for exactly that call, and answers
 * the run state: `state.approve(item)` or `state.reject(item, { message })`.
 * Any failure throws a `ToolGateError` and answers nothing: an outage leaves
 * the state resumable as it was, a proof that does not verify is a security
 * failure for the application, never a message to the model.
 * The tool itself claims the pause right before it runs.
 */
export async function resolveApprovals(
  source: ApprovalSource,
  options: ResolveApprovalsOptions = {},
): Promise<ResolvedApprovals> {
  const state = stateOf(source);
  const decisions = await Promise.all(gatedInterruptions(state).map((entry) => decide(entry, options)));
  // Answer the state only once every decision is known and verified: a failure leaves it untouched.
  for (const decision of decisions) {
    if (decision.approved) state.approve(decision.item);
    else state.reject(decision.item, { message: decision.message ?? "Not run." });
  }
  return { state, decisions };
}

async function decide(entry: GatedInterruption, options: ResolveApprovalsOptions): Promise<ResolvedApproval> {
  const base = { item: entry.item, toolName: entry.toolName, callId: entry.callId };
  if (entry.call === null) {
    return {
      ...base,
      pause: null,
      approved: false,
      data: null,
      message: `Not run: the arguments for ${entry.toolName} are not a JSON object, so they cannot be sent for approval.`,
    };
  }
  const gate = entry.gate.tool;
  const opened = await gate.open(entry.call, options);
  const pause = await gate.wait(opened, options);
  const verdict = await gate.verify(opened, pause);
  if (verdict.kind === "refuse") {
    const message = options.rejectionMessage ? options.rejectionMessage(pause) : verdict.message;
    return { ...base, pause, approved: false, data: null, message };
  }
  return { ...base, pause, approved: true, data: verdict.args, message: null };
}
