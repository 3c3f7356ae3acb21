export {
  isOutage,
  isSecurityFailure,
  ToolGateError,
  type ToolGateFailure,
} from "@countersign/core";
export {
  APPROVAL_INTERRUPT_TYPE,
  type ApprovalCard,
  type ApprovalInterrupt,
  ApprovalInterruptSchema,
  isApprovalInterrupt,
} from "./approval-interrupt.ts";
export type { ApprovalClient, FromArguments, WithApprovalOptions } from "./approval-options.ts";
export { type ApprovalRequest, approvalRequests, type InterruptSource } from "./approval-requests.ts";
export { type CountersignMiddlewareOptions, countersignMiddleware } from "./countersign-middleware.ts";
export {
  type HitlResumeCommand,
  type HitlReviewGraph,
  type ReviewHitlRequestOptions,
  reviewHitlRequest,
} from "./hitl-review.ts";
export type {
  HitlActionRequest,
  HitlDecision,
  HitlPauses,
  HitlRequest,
  HitlResponse,
} from "./hitl-shapes.ts";
export { DECISION_RESUME_TYPE, type DecisionResume, decisionResume } from "./resume-value.ts";
export { refusalText } from "./tool-messages.ts";
export {
  type ApprovalResumeCommand,
  type DecidedInterrupt,
  type ResumableGraph,
  resumeCommand,
  resumeForDecision,
  resumeWhenDecided,
  type WaitForDecisionOptions,
  waitForDecision,
} from "./wait-for-decision.ts";
export { type ApprovalTool, withApproval } from "./with-approval.ts";
