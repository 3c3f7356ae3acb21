import type { ApprovalService, Logger, Store } from "@countersign/core/server";
import type { EndpointPolicy } from "./push-endpoint-policy.ts";
import { createPushNotifier } from "./push-notifier.ts";
import type { WebPushOptions } from "./push-options.ts";
import { loadVapidKeys } from "./vapid-keys.ts";

const DEFAULT_TIMEOUT_MS = 10_000;

/** Web Push, running: the key browsers subscribe with and the endpoint policy subscriptions are checked against. */
export interface WebPush {
  /** The VAPID public key (base64url): the browser's `applicationServerKey`. */
  publicKey: string;
  policy: EndpointPolicy;
  stop(): void;
}

/**
 * Loads (or makes) the VAPID keys and pushes to routed approvers' devices
 * whenever this process opens or escalates a pause. Call after the store is
 * migrated (the keys live in its settings).
 */
export async function startWebPush(input: {
  store: Store;
  service: ApprovalService;
  options: WebPushOptions;
  now: () => Date;
  log: Logger;
}): Promise<WebPush> {
  const { store, service, options, log } = input;
  if (options.subject !== undefined && !/^(mailto:\S+|https:\/\/\S+)$/.test(options.subject)) {
    throw new Error(`The Web Push subject must be a mailto: or https: URL, not "${options.subject}"`);
  }
  const vapid = await loadVapidKeys(store, options.vapidKeys);
  const policy: EndpointPolicy = { allowLoopback: options.allowLoopbackEndpoints === true };
  const notifier = createPushNotifier({
    store,
    service,
    vapid,
    subject: () => options.subject ?? defaultSubject(service.baseUrl),
    policy,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    now: input.now,
    log,
  });
  const stop = service.onPauseRouted((pause, event) => notifier.notify(pause, event));
  return { publicKey: vapid.publicKey, policy, stop };
}

function defaultSubject(baseUrl: string): string {
  return baseUrl.startsWith("https://") ? baseUrl : "mailto:countersign@localhost";
}
