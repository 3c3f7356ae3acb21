import {
  decodeWebhookSecret,
  MAX_JSON_DEPTH,
  parseJson,
  type VerifyWebhookOptions,
  verifyWebhookSignature,
  type WebhookHeaderInput,
} from "@countersign/verify";
import { CountersignError } from "../errors/countersign-error.ts";
import { toBase64, utf8 } from "../proof/encoding.ts";
import { parseOrThrow } from "../protocol/parse.ts";
import { type WebhookEvent, WebhookEventSchema } from "../protocol/webhook-event.ts";

// Standard Webhooks (https://www.standardwebhooks.com): signing here, with
// WebCrypto so it runs wherever the client runs; verification is
// @countersign/verify's.

export { decodeWebhookSecret, type VerifyWebhookOptions };

const SECRET_PREFIX = "whsec_";

// A type, not an interface, so it also passes where a `Record<string, string>` of headers is expected.
export type WebhookHeaders = {
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
};

export interface SignWebhookInput {
  /** The message id; stays the same across retries so receivers can deduplicate. */
  id: string;
  /** Unix seconds of this attempt. */
  timestamp: number;
  /** The exact body bytes that are sent. */
  body: string;
  /** `whsec_` + base64 key. */
  secret: string;
}

/** A new signing secret: `whsec_` + base64 of 32 random bytes. */
export function generateWebhookSecret(): string {
  return SECRET_PREFIX + toBase64(crypto.getRandomValues(new Uint8Array(32)));
}

async function importWebhookSecret(secret: string): Promise<CryptoKey> {
  const bytes = decodeWebhookSecret(secret);
  return crypto.subtle.importKey("raw", bytes, { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
}

function signedContent(id: string, timestamp: string, body: string): Uint8Array<ArrayBuffer> {
  return utf8(`${id}.${timestamp}.${body}`);
}

/** The three Standard Webhooks headers for one attempt: `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`. */
export async function signWebhook(input: SignWebhookInput): Promise<WebhookHeaders> {
  if (!Number.isSafeInteger(input.timestamp) || input.timestamp < 0) {
    throw new CountersignError("invalid_request", "The webhook timestamp must be whole unix seconds.");
  }
  const key = await importWebhookSecret(input.secret);
  const timestamp = String(input.timestamp);
  const mac = await crypto.subtle.sign("HMAC", key, signedContent(input.id, timestamp, input.body));
  return {
    "webhook-id": input.id,
    "webhook-timestamp": timestamp,
    "webhook-signature": `v1,${toBase64(mac)}`,
  };
}

/**
 * Verifies a Standard Webhooks delivery (with @countersign/verify) and returns
 * its event, parsed with the wire schema. Fails with
 * `webhook_timestamp_out_of_range` for a stale or future timestamp,
 * `webhook_invalid_signature` when no `v1` signature matches, and
 * `invalid_request` when a correctly signed body is not a webhook event.
 */
export async function verifyWebhook(
  body: string,
  headers: WebhookHeaderInput,
  secret: string,
  options: VerifyWebhookOptions = {},
): Promise<WebhookEvent> {
  await verifyWebhookSignature(body, headers, secret, options);
  // The proof sits two levels down (data.proof): allow them on top of a proof's own limit.
  const event = parseJson(body, "webhook event", { maxDepth: MAX_JSON_DEPTH + 2 });
  return parseOrThrow(WebhookEventSchema, event, "webhook event");
}
