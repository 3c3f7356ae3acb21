export { type VerifyWebhookOptions, verifyWebhook } from "../webhooks/standard-webhooks.ts";
export { type AdapterOptions, type FromArguments, resolveClient } from "./adapter-options.ts";
export { createClient } from "./create-client.ts";
export { DEFAULT_TIMEOUT_MS } from "./http.ts";
export { type CheckProof, createProofChecker } from "./proof-checker.ts";
export { readServerSentEvents, type ServerSentEvent } from "./sse.ts";
export {
  type ApprovedCall,
  type AwaitDecisionOptions,
  alreadyRanMessage,
  approvedCall,
  awaitDecision,
  type CallRequest,
  callIdempotencyKey,
  createToolGate,
  DEFAULT_OUTAGE_TIMEOUT_MS,
  DEFAULT_WAIT_TIMEOUT_MS,
  defaultBody,
  defaultTitle,
  failureOf,
  fillTitleTemplate,
  type GateCallOptions,
  type GateOutcome,
  gateFailure,
  isOutage,
  isSecurityFailure,
  type OpenedCall,
  pauseRequestForCall,
  type ReceiptErrorHandler,
  type Refusal,
  refusalMessage,
  runApprovedCall,
  runWithReceipt,
  type ToolCall,
  type ToolGate,
  type ToolGateClient,
  ToolGateError,
  type ToolGateFailure,
  type ToolGateOptions,
  truncate,
  type Verdict,
} from "./tool-gate/index.ts";
export {
  createTrustAnchors,
  hasTrustAnchor,
  jwksFromEnvironment,
  NO_TRUST_ANCHOR,
  type ResolvedTrust,
} from "./trust-anchors.ts";
export type {
  ApprovalResult,
  CancelOptions,
  ClaimOptions,
  ClientOptions,
  CountersignClient,
  CreatePauseOptions,
  DecideOptions,
  FetchFunction,
  GetPauseOptions,
  ListPausesOptions,
  RecordReceiptOptions,
  RequestApprovalOptions,
  SignalOption,
  VerifyDecisionOptions,
  VerifyWith,
  WaitForDecisionOptions,
  WaitTransport,
} from "./types.ts";
export { verifyDecision } from "./verify-decision.ts";
