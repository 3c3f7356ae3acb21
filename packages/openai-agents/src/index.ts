export {
  isOutage,
  isSecurityFailure,
  ToolGateError,
  type ToolGateFailure,
} from "@countersign/core";
export type {
  ApprovalCall,
  FromArguments,
  VerifyWith,
  WithApprovalOptions,
} from "./approval-options.ts";
export type { ApprovalSource, GatedInterruption } from "./gated-interruptions.ts";
export { type OpenedApproval, type RequestApprovalsOptions, requestApprovals } from "./request-approvals.ts";
export {
  type ResolveApprovalsOptions,
  type ResolvedApproval,
  type ResolvedApprovals,
  resolveApprovals,
} from "./resolve-approvals.ts";
export {
  type ResumeWithApprovalsOptions,
  type ResumeWithApprovalsStreamOptions,
  resumeWithApprovals,
} from "./resume-with-approvals.ts";
export { withApproval } from "./with-approval.ts";
