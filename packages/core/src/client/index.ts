export { type VerifyWebhookOptions, verifyWebhook } from "../webhooks/standard-webhooks.ts";
export { type AdapterOptions, type FromArguments, resolveClient } from "./adapter-options.ts";
export { createClient } from "./create-client.ts";
export { DEFAULT_TIMEOUT_MS } from "./http.ts";
export { type CheckProof, createProofChecker } from "./proof-checker.ts";
export { readServerSentEvents, type ServerSentEvent } from "./sse.ts";
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
