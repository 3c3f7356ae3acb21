export type { ApprovalClient, ApprovalOptions, FromInput, VerifyWith } from "./approval-options.ts";
export {
  type ApprovalStatus,
  type ApprovalStatusRouteOptions,
  createApprovalStatusRoute,
} from "./approval-status-route.ts";
export {
  type ChatApprovalMetadata,
  type ChatApprovals,
  type ChatApprovalsOptions,
  createChatApprovals,
  type PendingApproval,
} from "./chat-approvals.ts";
export type { DecidedApproval, WaitOptions } from "./decide-approval.ts";
export type {
  ApprovalRequestOutput,
  ApprovalResponseMessage,
  ApprovalResponsePart,
} from "./message-parts.ts";
export {
  type ApprovalSource,
  approvalRequestsIn,
  decideApprovals,
  type ResolveApprovalsOptions,
  resolveApprovals,
} from "./resolve-approvals.ts";
export { type GateApprovalFunction, type GateApprovalStatus, toolApprovalFor } from "./tool-approval.ts";
export type { VerifiedDecision } from "./verify-decision.ts";
export { type GateableTool, type ToolInput, withApproval } from "./with-approval.ts";
