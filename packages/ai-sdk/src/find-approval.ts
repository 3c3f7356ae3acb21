import { type MessageLike, partsOf } from "./message-parts.ts";

export interface FoundApproval {
  approvalId: string;
  toolName: string;
}

/**
 * The approval the SDK is acting on for this tool call: an approval request for
 * the call in an assistant message, answered with `approved: true` in the last
 * tool message (the only message the SDK reads responses from). Everything here
 * comes from client-supplied history; it only tells the gate which pause to
 * look up, never whether the call may run.
 */
export function findApproval(
  messages: readonly MessageLike[],
  toolCallId: string,
): FoundApproval | undefined {
  let toolName: string | undefined;
  const approvalIds = new Set<string>();
  for (const message of messages) {
    if (message.role !== "assistant") continue;
    for (const part of partsOf(message)) {
      if (part.toolCallId !== toolCallId) continue;
      if (part.type === "tool-call" && typeof part.toolName === "string") toolName = part.toolName;
      if (part.type === "tool-approval-request" && typeof part.approvalId === "string") {
        approvalIds.add(part.approvalId);
      }
    }
  }
  const last = messages.at(-1);
  if (toolName === undefined || last?.role !== "tool") return undefined;
  for (const part of partsOf(last)) {
    if (
      part.type === "tool-approval-response" &&
      part.approved === true &&
      typeof part.approvalId === "string" &&
      approvalIds.has(part.approvalId)
    ) {
      return { approvalId: part.approvalId, toolName };
    }
  }
  return undefined;
}
