// @countersign/core: the parts that run anywhere fetch and WebCrypto run.
export * from "./client/index.ts";
export * from "./errors/index.ts";
export * from "./proof/index.ts";
export * from "./protocol/index.ts";
export {
  generateWebhookSecret,
  signWebhook,
  type VerifyWebhookOptions,
  type WebhookHeaders,
} from "./webhooks/standard-webhooks.ts";
