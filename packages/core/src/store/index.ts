export type {
  ApiKeyRecord,
  ApiKeyRole,
  AuditInput,
  AuditQuery,
  DecisionUpdate,
  DeliveryAttemptRecord,
  DeliveryRecord,
  DeliveryStatus,
  IdempotencyInput,
  JsonObject,
  PauseQuery,
  PauseRecord,
} from "./records.ts";
export type { Store } from "./store.ts";
