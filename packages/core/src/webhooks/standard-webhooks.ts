import { CountersignError } from "../errors/countersign-error.ts";
import { fromBase64, toBase64, utf8 } from "../proof/encoding.ts";
import { parseOrThrow } from "../protocol/parse.ts";
import { type WebhookEvent, WebhookEventSchema } from "../protocol/webhook-event.ts";

// Standard Webhooks (https://www.standardwebhooks.com), with WebCrypto only so
// it runs wherever the client runs (Node, Bun, Deno, Workers, browsers).

const SECRET_PREFIX = "whsec_";
const DEFAULT_TOLERANCE_SECONDS = 300;

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

export interface VerifyWebhookOptions {
  /** How far the timestamp may be from now, either way. Default 300 seconds. */
  toleranceSeconds?: number;
  now?: Date;
}

/** A new signing secret: `whsec_` + base64 of 32 random bytes. */
export function generateWebhookSecret(): string {
  return SECRET_PREFIX + toBase64(crypto.getRandomValues(new Uint8Array(32)));
}

/** The key bytes of a `whsec_` secret (the prefix is optional); `invalid_request` when it is not base64. */
export function decodeWebhookSecret(secret: string): Uint8Array<ArrayBuffer> {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  const bytes = encoded.length > 0 ? fromBase64(encoded) : null;
  if (bytes === null || bytes.length === 0) {
    throw new CountersignError("invalid_request", "The webhook secret must be `whsec_` followed by base64.");
  }
  return bytes;
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

function readHeader(headers: Headers | Record<string, string>, name: string): string | null {
  if (headers instanceof Headers) return headers.get(name);
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name && typeof value === "string") return value;
  }
  return null;
}

function invalidSignature(message: string): CountersignError {
  return new CountersignError("webhook_invalid_signature", message);
}

/**
 * Verifies a Standard Webhooks delivery and returns its parsed event.
 * Fails with `webhook_timestamp_out_of_range` for a stale or future timestamp,
 * `webhook_invalid_signature` when no `v1` signature matches, and
 * `invalid_request` when a correctly signed body is not a webhook event.
 */
export async function verifyWebhook(
  body: string,
  headers: Headers | Record<string, string>,
  secret: string,
  options: VerifyWebhookOptions = {},
): Promise<WebhookEvent> {
  const id = readHeader(headers, "webhook-id");
  const timestamp = readHeader(headers, "webhook-timestamp");
  const signatures = readHeader(headers, "webhook-signature");
  if (!id || !timestamp || !signatures) {
    throw invalidSignature("Missing webhook-id, webhook-timestamp or webhook-signature header.");
  }
  if (!/^\d{1,15}$/.test(timestamp))
    throw invalidSignature("The webhook-timestamp header is not unix seconds.");

  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const nowSeconds = Math.floor((options.now ?? new Date()).getTime() / 1000);
  if (Math.abs(nowSeconds - Number(timestamp)) > tolerance) {
    throw new CountersignError(
      "webhook_timestamp_out_of_range",
      `The webhook timestamp is more than ${tolerance} seconds from now; refusing a possible replay.`,
    );
  }

  const key = await importWebhookSecret(secret);
  const content = signedContent(id, timestamp, body);
  let verified = false;
  // A sender rotating its secret may send several signatures; any one that verifies is enough.
  for (const entry of signatures.split(" ")) {
    const [version, encoded] = entry.split(",", 2);
    if (version !== "v1" || !encoded) continue;
    const signature = fromBase64(encoded);
    if (signature === null) continue;
    // crypto.subtle.verify compares in constant time.
    if (await crypto.subtle.verify("HMAC", key, signature, content)) {
      verified = true;
      break;
    }
  }
  if (!verified) throw invalidSignature("No webhook signature matches the secret.");

  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new CountersignError("invalid_request", "The webhook body is not JSON.");
  }
  return parseOrThrow(WebhookEventSchema, parsed, "webhook event");
}
