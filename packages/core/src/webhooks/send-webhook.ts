import { type ClientRequest, request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { isIP } from "node:net";
import { createGuardedLookup, privateTargetError } from "./address-guard.ts";
import type { WebhookHeaders } from "./standard-webhooks.ts";

export const WEBHOOK_USER_AGENT = "Countersign-Webhooks/1";
export const DEFAULT_WEBHOOK_TIMEOUT_MS = 10_000;
/** How much of a receiver's answer is read (then discarded); the rest is cut off. */
export const MAX_RESPONSE_BYTES = 64 * 1024;

export interface SendWebhookInput {
  url: string;
  body: string;
  /** The signed `webhook-*` headers of this attempt. */
  headers: WebhookHeaders;
  /** Covers connecting, the request and the response. Default 10 s. */
  timeoutMs?: number;
  /** Allow loopback, private and link-local targets (tests, on-premises receivers). Default false. */
  allowPrivateTargets?: boolean;
}

export interface SendWebhookResult {
  /** The HTTP status, or null when no response came. */
  status: number | null;
  /** Why no response came (network error, timeout, refused target), else null. */
  error: string | null;
  /** The response's `Retry-After` header, if any. */
  retryAfter: string | null;
  durationMs: number;
}

/**
 * POSTs one webhook attempt. Never throws: a refused target, a network error
 * or a timeout comes back as `{ status: null, error }`. Redirects are not
 * followed (a 3xx is a failed attempt), so a receiver cannot bounce the
 * request to a private address.
 */
export function sendWebhook(input: SendWebhookInput): Promise<SendWebhookResult> {
  const started = performance.now();
  const finish = (result: Omit<SendWebhookResult, "durationMs">): SendWebhookResult => ({
    ...result,
    durationMs: Math.round(performance.now() - started),
  });
  const failed = (error: string) => Promise.resolve(finish({ status: null, error, retryAfter: null }));

  let url: URL;
  try {
    url = new URL(input.url);
  } catch {
    return failed("The webhook URL is not a valid URL.");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return failed(`The webhook URL must be http or https, not ${url.protocol}`);
  }
  // Node connects to an IP literal without calling `lookup`, so check literals here.
  const hostname = url.hostname.replace(/^\[(.*)\]$/, "$1");
  if (isIP(hostname) !== 0 && !input.allowPrivateTargets) {
    const refused = privateTargetError(hostname, hostname);
    if (refused) return failed(refused.message);
  }

  const timeoutMs = input.timeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS;
  return new Promise((resolve) => {
    let settled = false;
    let status: number | null = null;
    let retryAfter: string | null = null;
    let request: ClientRequest | undefined;
    const settle = (error: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request?.destroy();
      resolve(finish({ status, error: status === null ? error : null, retryAfter }));
    };
    const timer = setTimeout(() => settle(`Timed out after ${timeoutMs} ms.`), timeoutMs);

    try {
      const send = url.protocol === "https:" ? httpsRequest : httpRequest;
      request = send(url, {
        method: "POST",
        // A fresh connection per attempt: no pooled socket outlives the delivery, and each connect is checked.
        agent: false,
        lookup: createGuardedLookup({ allowPrivateTargets: input.allowPrivateTargets ?? false }),
        headers: {
          "content-type": "application/json",
          "content-length": String(Buffer.byteLength(input.body)),
          "user-agent": WEBHOOK_USER_AGENT,
          ...input.headers,
        },
      });
    } catch (error) {
      settle(error instanceof Error ? error.message : String(error));
      return;
    }

    request.on("error", (error) => settle(error.message || String(error)));
    request.on("response", (response: IncomingMessage) => {
      status = response.statusCode ?? null;
      const header = response.headers["retry-after"];
      retryAfter = typeof header === "string" ? header : null;
      // The answer's body is not used; read a little so the receiver can finish, then hang up.
      let received = 0;
      response.on("data", (chunk: Buffer) => {
        received += chunk.length;
        if (received >= MAX_RESPONSE_BYTES) settle(null);
      });
      response.on("end", () => settle(null));
      response.on("error", () => settle(null));
      response.on("close", () => settle(null));
    });
    request.end(input.body);
  });
}
