export type {
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
} from "./records.ts";
export type { Store } from "./store.ts";
