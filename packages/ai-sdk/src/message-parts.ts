/**
 * The few AI SDK shapes this adapter reads and writes, spelled structurally so
 * one build works with `ai` 6 and 7 (their types differ in details this
 * adapter never touches).
 */

/** A tool call as it appears in an approval request or in an assistant message. */
export interface ToolCallLike {
  toolCallId: string;
  toolName: string;
  input: unknown;
}

/** `tool-approval-request` as `generateText`/`streamText` return it in `result.content`. */
export interface ApprovalRequestOutput {
  type: "tool-approval-request";
  approvalId: string;
  toolCall: ToolCallLike;
  /** v7: set when a `toolApproval` policy approved or denied the call without a human. */
  isAutomatic?: boolean;
}

/** `tool-approval-request` as it is stored in an assistant message. */
export interface ApprovalRequestPart {
  type: "tool-approval-request";
  approvalId: string;
  toolCallId: string;
}

/** `tool-approval-response`: what a tool message carries back to the SDK. */
export interface ApprovalResponsePart {
  type: "tool-approval-response";
  approvalId: string;
  approved: boolean;
  reason?: string;
}

/** The tool message to append to the conversation before the next `generateText`/`streamText` call. */
export interface ApprovalResponseMessage {
  role: "tool";
  content: ApprovalResponsePart[];
}

/** Any model message; only `role` and array `content` are read. */
export interface MessageLike {
  role: string;
  content: unknown;
}

export function partsOf(message: MessageLike): { type?: unknown; [key: string]: unknown }[] {
  return Array.isArray(message.content) ? message.content : [];
}
