export {
  type Action,
  type ActionData,
  ActionDataSchema,
  ActionSchema,
  type Risk,
  RiskSchema,
} from "./action.ts";
export {
  type AuditCheckpoint,
  AuditCheckpointSchema,
  type AuditCheckpointV1,
  AuditCheckpointV1Schema,
  type AuditCheckpointV2,
  AuditCheckpointV2Schema,
  CHECKPOINT_SIGNING_PREFIX,
  CHECKPOINT_V1_SIGNING_PREFIX,
  CHECKPOINT_VERSION,
} from "./audit-checkpoint.ts";
export {
  type AuditActor,
  AuditActorSchema,
  type AuditEvent,
  AuditEventSchema,
  type AuditEventType,
  AuditEventTypeSchema,
  AuditListSchema,
} from "./audit-event.ts";
export {
  type BatchDecisionItem,
  BatchDecisionItemSchema,
  type BatchDecisionRequest,
  BatchDecisionRequestSchema,
  type BatchDecisionResult,
  BatchDecisionResultSchema,
  MAX_BATCH_DECISIONS,
} from "./batch-decision.ts";
export {
  type CancelRequest,
  CancelRequestSchema,
  type ClaimRequest,
  ClaimRequestSchema,
  type DecisionRequest,
  DecisionRequestSchema,
} from "./decision.ts";
export {
  type Delegation,
  DelegationListSchema,
  type DelegationRequest,
  DelegationRequestSchema,
  DelegationSchema,
  type DelegationStatus,
  DelegationStatusSchema,
  MAX_DELEGATION_DAYS,
  RevokeDelegationRequestSchema,
} from "./delegation.ts";
export {
  type Grant,
  GrantListSchema,
  type GrantRequest,
  GrantRequestSchema,
  GrantSchema,
  type GrantStatus,
  GrantStatusSchema,
  type GrantTotal,
  GrantTotalSchema,
  RevokeGrantRequestSchema,
} from "./grant.ts";
export {
  type Identity,
  type IdentityInput,
  IdentityInputSchema,
  IdentityListSchema,
  IdentitySchema,
} from "./identity.ts";
export { ID_PREFIXES, type IdKind, idPattern, newId } from "./ids.ts";
export {
  type Denial,
  DenialListSchema,
  DenialSchema,
  type InsightGroup,
  InsightGroupSchema,
  type InsightSuggestion,
  InsightSuggestionSchema,
  type Insights,
  InsightsSchema,
} from "./insights.ts";
export { type JsonValue, JsonValueSchema } from "./json-value.ts";
export { type JwkSet, JwkSetSchema, type PublicJwk, PublicJwkSchema } from "./keys.ts";
export {
  MAX_ACTION_BODY,
  MAX_ACTION_DESCRIPTION,
  MAX_ACTION_TITLE,
  MAX_BODY_DEPTH,
  MAX_IDEMPOTENCY_KEY,
} from "./limits.ts";
export { describeIssues, parseOrThrow } from "./parse.ts";
export {
  type Approval,
  ApprovalSchema,
  type Claim,
  ClaimSchema,
  type Decision,
  DecisionSchema,
  type Pause,
  type PauseList,
  PauseListSchema,
  PauseSchema,
  type PauseStatus,
  PauseStatusSchema,
  type Routing,
  RoutingSchema,
  TERMINAL_STATUSES,
} from "./pause.ts";
export {
  type Channel,
  ChannelSchema,
  DEFAULT_EXPIRES_IN_SECONDS,
  JsonObjectSchema,
  MAX_EXPIRES_IN_SECONDS,
  type ParsedPauseRequest,
  type PauseRequest,
  PauseRequestSchema,
  type Recipient,
  RecipientSchema,
  WebhookUrlSchema,
} from "./pause-request.ts";
export { type Problem, ProblemSchema } from "./problem.ts";
export {
  type Decider,
  DeciderSchema,
  PROOF_SIGNING_PREFIX,
  PROOF_VERSION,
  type Proof,
  type ProofDecision,
  ProofDecisionSchema,
  ProofSchema,
  type UnsignedProof,
} from "./proof.ts";
export {
  type Execution,
  type ExecutionOutcome,
  ExecutionOutcomeSchema,
  ExecutionSchema,
  RECEIPT_SIGNING_PREFIX,
  RECEIPT_VERSION,
  type ReceiptRequest,
  ReceiptRequestSchema,
  type Reporter,
  ReporterSchema,
  type UnsignedExecution,
} from "./receipt.ts";
export {
  DEFAULT_SECRET_GRACE_SECONDS,
  MAX_SECRET_GRACE_SECONDS,
  RotateEndpointSecretSchema,
  type WebhookEndpoint,
  type WebhookEndpointEvent,
  WebhookEndpointEventSchema,
  type WebhookEndpointFilter,
  WebhookEndpointFilterSchema,
  WebhookEndpointListSchema,
  type WebhookEndpointRequest,
  WebhookEndpointRequestSchema,
  WebhookEndpointSchema,
  type WebhookEndpointUpdate,
  WebhookEndpointUpdateSchema,
  WebhookEndpointWithSecretSchema,
} from "./webhook-endpoint.ts";
export {
  type EndpointEvent,
  EndpointEventSchema,
  type WebhookDelivery,
  WebhookDeliverySchema,
  type WebhookEvent,
  WebhookEventSchema,
} from "./webhook-event.ts";
