export type {
  ApiKeyBinding,
  ApiKeyRecord,
  ApiKeyRole,
  ApprovalVote,
  AuditInput,
  AuditQuery,
  DecisionUpdate,
  DeliveryAttemptRecord,
  DeliveryRecord,
  DeliveryStatus,
  IdempotencyInput,
  IdentityRecord,
  JsonObject,
  PauseQuery,
  PauseRecord,
  WebSessionRecord,
} from "./records.ts";
export type { Store } from "./store.ts";
