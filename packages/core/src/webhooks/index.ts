export {
  type AddressKind,
  classifyAddress,
  createGuardedLookup,
  type GuardedLookupOptions,
  isPrivateAddress,
} from "./address-guard.ts";
export {
  createDeliveryWorker,
  type DeliveryLogger,
  type DeliveryWorker,
  type DeliveryWorkerOptions,
} from "./delivery-worker.ts";
export {
  MAX_RETRY_AFTER_MS,
  nextRetryDelayMs,
  parseRetryAfter,
  WEBHOOK_MAX_ATTEMPTS,
  WEBHOOK_RETRY_DELAYS_MS,
} from "./retry-schedule.ts";
export {
  type SendWebhookInput,
  type SendWebhookResult,
  sendWebhook,
  WEBHOOK_USER_AGENT,
} from "./send-webhook.ts";
export {
  generateWebhookSecret,
  type SignWebhookInput,
  signWebhook,
  type VerifyWebhookOptions,
  verifyWebhook,
  type WebhookHeaders,
} from "./standard-webhooks.ts";
