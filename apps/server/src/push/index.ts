export { checkPushEndpoint, type EndpointPolicy } from "./push-endpoint-policy.ts";
export { type PushMessage, pushMessage } from "./push-message.ts";
export type { WebPushOptions } from "./push-options.ts";
export { startWebPush, type WebPush } from "./start-web-push.ts";
export { loadVapidKeys, type VapidKeys } from "./vapid-keys.ts";
