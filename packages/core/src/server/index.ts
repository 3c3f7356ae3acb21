// @countersign/core/server: the embedded approval server (Node).
export { auditEventHash, GENESIS_HASH, nextAuditEvent } from "../audit/audit-chain.ts";

export {
  type AuditCheckpointer,
  type AuditProblem,
  type AuditProblemKind,
  type AuditTreeHead,
  type AuditVerification,
  type AuditWitness,
  type AuditWitnessOptions,
  appendLeaves,
  auditLeafHash,
  type BundleProblem,
  type BundleVerification,
  buildEvidenceBundle,
  type CheckpointCheck,
  CONSISTENCY_PROOF_TYPE,
  type ConsistencyCheck,
  type ConsistencyProof,
  ConsistencyProofSchema,
  chainAuditEvent,
  checkpointSigningInput,
  checkpointsConsistent,
  createAuditCheckpointer,
  createAuditWitness,
  EVIDENCE_BUNDLE_TYPE,
  type EvidenceBundle,
  EvidenceBundleSchema,
  formatHash,
  frontierIds,
  frontierRoot,
  latestCheckpoint,
  type MerkleNode,
  type MerkleNodeId,
  merkleLeafHash,
  nodeKey,
  proveConsistency,
  proveInclusion,
  readTreeHead,
  type SealedHead,
  sealAuditEvents,
  signCheckpoint,
  treeNodesFor,
  type VerifyAuditLogOptions,
  verifyAuditLog,
  verifyCheckpoint,
  verifyConsistencyProof,
  verifyEvidenceBundle,
} from "../audit/index.ts";
export {
  ApproverRefSchema,
  type CompiledPolicy,
  type CompileResult,
  type Condition,
  type ConditionOperator,
  type ConditionResult,
  compilePolicy,
  evaluateCondition,
  evaluatePolicy,
  formatPolicyIssues,
  globToRegExp,
  matchesGlob,
  type ParsedCondition,
  type PolicyCheck,
  type PolicyDocument,
  type PolicyEvaluation,
  type PolicyInput,
  type PolicyIssue,
  PolicySchema,
  parseCondition,
  parseDuration,
  policyDecision,
  policyHook,
  policyVersion,
  type RuleTrace,
} from "../policy/index.ts";
export * from "../store/index.ts";
export { sqliteStore } from "../store/sqlite/index.ts";
export type { Store } from "../store/store.ts";
export { type AddressKind, classifyAddress } from "../webhooks/address-guard.ts";
export type { ApprovalService, Approver, DecideInput } from "./approval-service.ts";
export { authenticate, hashApiKey, type IssueApiKeyOptions, issueApiKey } from "./auth/api-keys.ts";
export { authorizeAgentRequest, checkKeyBinding } from "./auth/key-binding.ts";
export type { ChannelPlugin, ChannelRoute } from "./channel-plugin.ts";
export { type ApprovalServer, createApprovalServer } from "./create-approval-server.ts";
export {
  createDelegation,
  type DelegationActor,
} from "./delegations/create-delegation.ts";
export { listVisibleDelegations } from "./delegations/list-delegations.ts";
export { delegationStatus, renderDelegation } from "./delegations/render-delegation.ts";
export { revokeDelegation } from "./delegations/revoke-delegation.ts";
export { findApprover, type KnownApprover } from "./governance/approvers.ts";
export { type DecisionRights, decisionRights } from "./governance/decision-rights.ts";
export {
  type RecipientScreening,
  type RecipientWarning,
  screenRecipients,
} from "./governance/recipient-screen.ts";
export type { GrantActor } from "./grants/create-grant.ts";
export { grantStatus, renderGrant } from "./grants/render-grant.ts";
export { readJsonBody } from "./http/read-json-body.ts";
export {
  type BodySpec,
  defineRoute,
  type HttpMethod,
  type ResponseSpec,
  type Route,
  type RouteFamily,
  type RouteInput,
  type RouteSecurity,
  type RouteSpec,
} from "./http/route.ts";
export { insightsReport } from "./insights/insights-report.ts";
export { jsonLogger, silentLogger } from "./json-logger.ts";
export { retiredPublicKeys, rotateSigningKey } from "./key-rotation.ts";
export { type Listening, listen } from "./node-listener.ts";
export type { GrantLimits, PolicyDecision, PolicyHook } from "./policy-hook.ts";
export { renderPause } from "./render-pause.ts";
export { renderIdentity } from "./routes/identity-routes.ts";
export { InsightsQuerySchema } from "./routes/insight-routes.ts";
export { claimedBefore, OlderThanSchema } from "./routes/older-than.ts";
export { isRoutedApprover, sameIdentity } from "./routing.ts";
export { checkIdentity, saveIdentity } from "./save-identity.ts";
export type { ServerSecrets } from "./server-keys.ts";
export type { ApprovalServerOptions } from "./server-options.ts";
export type { Logger } from "./service-context.ts";
