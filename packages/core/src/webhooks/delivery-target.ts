import type { DeliveryRecord } from "../store/records.ts";
import type { Store } from "../store/store.ts";
import { signWebhook, type WebhookHeaders } from "./standard-webhooks.ts";

/** Where one attempt goes and what signs it; `stopped` says why it is not sent at all. */
export type DeliveryTarget =
  | { stopped: null; url: string; secrets: string[] }
  | { stopped: string; url?: undefined; secrets?: undefined };

/**
 * A pause's own `webhook_url` is signed with the server's webhook secret. A
 * registered endpoint is read again at each attempt: its current URL, its
 * secret (and the one before a rotation, while that is still valid, so
 * receivers on either verify), and whether it still wants anything — a
 * disabled or deleted endpoint is sent nothing more.
 */
export async function deliveryTarget(
  store: Store,
  delivery: DeliveryRecord,
  serverSecret: string,
  at: Date,
): Promise<DeliveryTarget> {
  if (delivery.endpointId === null) return { stopped: null, url: delivery.url, secrets: [serverSecret] };
  const endpoint = await store.getWebhookEndpoint(delivery.endpointId);
  if (!endpoint) return { stopped: `Not sent: webhook endpoint ${delivery.endpointId} was deleted.` };
  if (endpoint.status !== "enabled") {
    return { stopped: `Not sent: webhook endpoint ${delivery.endpointId} is disabled.` };
  }
  const previousValid =
    endpoint.previousSecret !== null &&
    endpoint.previousSecretExpiresAt !== null &&
    Date.parse(endpoint.previousSecretExpiresAt) > at.getTime();
  return {
    stopped: null,
    url: endpoint.url,
    secrets: previousValid ? [endpoint.secret, endpoint.previousSecret!] : [endpoint.secret],
  };
}

/** Standard Webhooks headers with one `v1,` signature per secret, space-separated (the spec's rotation form). */
export async function signWithEach(
  secrets: readonly string[],
  message: { id: string; timestamp: number; body: string },
): Promise<WebhookHeaders> {
  const signed = await Promise.all(secrets.map((secret) => signWebhook({ ...message, secret })));
  const first = signed[0]!;
  return { ...first, "webhook-signature": signed.map((headers) => headers["webhook-signature"]).join(" ") };
}
