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
  /** Overall limit for waiting on each decision, in milliseconds; then the wait fails with code `timeout`. */
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
 * An approval whose proof does not verify throws and answers nothing.
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
    else state.reject(decision.item, { message: decision.message ?? defaultMessage(null) });
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
  const { client } = entry.gate;
  const opened = await entry.gate.open(entry.call, options.signal);
  let pause = opened.pause;
  if (pause.status === "pending") {
    pause = await client.waitForDecision(pause.pause_id, {
      timeoutMs: options.timeoutMs,
      signal: options.signal,
    });
  }
  if (pause.status !== "approved") {
    const message = (options.rejectionMessage ?? defaultMessage)(pause);
    return { ...base, pause, approved: false, data: null, message };
  }
  const verified = await entry.gate.verify(pause, opened.action);
  return { ...base, pause, approved: true, data: verified.data ?? entry.call.args, message: null };
}

function defaultMessage(pause: Pause | null): string {
  const reason = pause?.decision?.reason;
  switch (pause?.status) {
    case "expired":
      return "Not run: the approval request expired before anyone decided.";
    case "cancelled":
      return `Not run: the approval request was cancelled${reason ? `: ${reason}` : "."}`;
    default:
      return `Not run: a reviewer rejected this action${reason ? `. Reason: ${reason}` : "."}`;
  }
}
