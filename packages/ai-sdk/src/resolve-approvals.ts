import { type DecidedApproval, decideApproval, type WaitOptions } from "./decide-approval.ts";
import { gateFor } from "./gate.ts";
import type { ApprovalRequestOutput, ApprovalResponseMessage } from "./message-parts.ts";

/** A `generateText`/`streamText` result, or its content parts (or just the approval requests). */
export type ApprovalSource =
  | { readonly content: readonly unknown[] | PromiseLike<readonly unknown[]> }
  | readonly unknown[];

export interface ResolveApprovalsOptions extends WaitOptions {
  /** The tools passed to `generateText`/`streamText`; only the ones made with `withApproval` are handled. */
  tools: Record<string, unknown>;
}

/** The approval requests a human must decide (automatic v7 decisions are left to the SDK). */
export function approvalRequestsIn(parts: readonly unknown[]): ApprovalRequestOutput[] {
  return parts.filter((part): part is ApprovalRequestOutput => {
    const candidate = part as Partial<ApprovalRequestOutput> | null;
    return (
      candidate?.type === "tool-approval-request" &&
      candidate.isAutomatic !== true &&
      typeof candidate.approvalId === "string" &&
      typeof candidate.toolCall?.toolCallId === "string"
    );
  });
}

/** Every gated approval request in the source, decided by a human in Countersign. */
export async function decideApprovals(
  source: ApprovalSource,
  options: ResolveApprovalsOptions,
): Promise<DecidedApproval[]> {
  const parts = Array.isArray(source)
    ? source
    : await (source as { content: PromiseLike<unknown[]> }).content;
  // One failure (server down, a proof that does not verify) stops the other waits too.
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  const decisions: Promise<DecidedApproval>[] = [];
  for (const request of approvalRequestsIn(parts)) {
    const gate = gateFor(options.tools, request.toolCall.toolName);
    if (!gate) continue;
    const call = {
      approvalId: request.approvalId,
      toolCallId: request.toolCall.toolCallId,
      toolName: request.toolCall.toolName,
      input: request.toolCall.input,
    };
    decisions.push(decideApproval(gate, call, { timeoutMs: options.timeoutMs, signal }));
  }
  try {
    return await Promise.all(decisions);
  } catch (error) {
    stop.abort(error);
    await Promise.allSettled(decisions);
    throw error;
  }
}

/**
 * Opens a pause for every approval request of a gated tool, waits for the
 * humans, verifies each proof and returns the tool message to append before
 * calling `generateText`/`streamText` again: approved calls then run (once),
 * denied ones reach the model as `execution-denied` with the reviewer's reason.
 */
export async function resolveApprovals(
  source: ApprovalSource,
  options: ResolveApprovalsOptions,
): Promise<ApprovalResponseMessage> {
  const decided = await decideApprovals(source, options);
  return { role: "tool", content: decided.map((decision) => decision.response) };
}
