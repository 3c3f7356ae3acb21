import { type ClientRequest, request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import type { PushSubscriptionRecord } from "@countersign/core/server";
import webPush from "web-push";
import { checkPushEndpoint, type EndpointPolicy, pushLookup } from "./push-endpoint-policy.ts";
import type { VapidKeys } from "./vapid-keys.ts";

export interface PushDelivery {
  subscription: PushSubscriptionRecord;
  /** The JSON message; encrypted to the browser's key (RFC 8291) before it leaves. */
  payload: string;
  vapid: VapidKeys & { subject: string };
  /** How long the push service may hold it for an offline device, in seconds. */
  ttlSeconds: number;
  urgency: "normal" | "high";
  policy: EndpointPolicy;
  timeoutMs: number;
}

export interface PushResult {
  /** The push service's HTTP status, or `null` when none came. */
  status: number | null;
  /** Why it failed (no response, refused endpoint, or the service's status), else `null`. */
  error: string | null;
}

/** How much of a push service's answer is read (then dropped). */
const MAX_RESPONSE_BYTES = 16 * 1024;

/**
 * Sends one push: `web-push` builds the request (the payload encrypted with
 * aes128gcm, the VAPID JWT), and it goes out here, through the endpoint
 * policy and its guarded DNS lookup, with no redirect followed. Never throws.
 */
export async function sendPush(delivery: PushDelivery): Promise<PushResult> {
  const { subscription } = delivery;
  let url: URL;
  let details: webPush.RequestDetails;
  try {
    url = checkPushEndpoint(subscription.endpoint, delivery.policy);
    details = webPush.generateRequestDetails(
      { endpoint: subscription.endpoint, keys: { p256dh: subscription.p256dh, auth: subscription.auth } },
      delivery.payload,
      {
        vapidDetails: delivery.vapid,
        TTL: delivery.ttlSeconds,
        urgency: delivery.urgency,
        contentEncoding: "aes128gcm",
      },
    );
  } catch (error) {
    return { status: null, error: error instanceof Error ? error.message : String(error) };
  }
  return new Promise<PushResult>((resolve) => {
    let settled = false;
    let request: ClientRequest | undefined;
    const settle = (result: PushResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request?.destroy();
      resolve(result);
    };
    const timer = setTimeout(
      () => settle({ status: null, error: `no answer within ${delivery.timeoutMs} ms` }),
      delivery.timeoutMs,
    );
    try {
      const send = url.protocol === "https:" ? httpsRequest : httpRequest;
      request = send(
        url,
        {
          method: "POST",
          headers: details.headers as Record<string, string | number>,
          lookup: pushLookup(delivery.policy),
        },
        (response) => {
          const status = response.statusCode ?? 0;
          let read = 0;
          response.on("data", (chunk: Buffer) => {
            read += chunk.length;
            if (read > MAX_RESPONSE_BYTES) response.destroy();
          });
          const done = () =>
            settle({
              status,
              error: status >= 200 && status < 300 ? null : `the push service answered ${status}`,
            });
          response.on("end", done);
          response.on("close", done);
          response.on("error", done);
        },
      );
      request.on("error", (error) => settle({ status: null, error: error.message }));
      request.end(details.body ?? undefined);
    } catch (error) {
      settle({ status: null, error: error instanceof Error ? error.message : String(error) });
    }
  });
}
