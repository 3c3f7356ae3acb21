export { type ApprovedCall, approvedCall, runApprovedCall } from "./approved-call.ts";
export {
  type AwaitDecisionOptions,
  awaitDecision,
  DEFAULT_OUTAGE_TIMEOUT_MS,
  DEFAULT_WAIT_TIMEOUT_MS,
} from "./await-decision.ts";
export { defaultBody } from "./call-body.ts";
export { defaultTitle, fillTitleTemplate } from "./call-title.ts";
export {
  createToolGate,
  type GateCallOptions,
  type OpenedCall,
  type ToolGate,
} from "./create-tool-gate.ts";
export {
  alreadyRanMessage,
  type GateOutcome,
  type Refusal,
  refusalMessage,
  type Verdict,
} from "./gate-outcome.ts";
export { type CallRequest, callIdempotencyKey, pauseRequestForCall } from "./pause-request-for-call.ts";
export { type ReceiptErrorHandler, runWithReceipt } from "./run-with-receipt.ts";
export type { ToolCall } from "./tool-call.ts";
export {
  failureOf,
  gateFailure,
  isOutage,
  isSecurityFailure,
  ToolGateError,
  type ToolGateFailure,
} from "./tool-gate-error.ts";
export type { ToolGateClient, ToolGateOptions } from "./tool-gate-options.ts";
export { truncate } from "./truncate.ts";
