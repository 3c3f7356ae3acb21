import type { AnyCryptoBackend } from "../crypto/crypto-backend.ts";
import { fromBase64 } from "../encoding/encoding.ts";
import { CountersignError } from "../errors/countersign-error.ts";

// Standard Webhooks (https://www.standardwebhooks.com): `webhook-signature:
// v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, keyed with the bytes of a
// `whsec_` secret.

const SECRET_PREFIX = "whsec_";
export const DEFAULT_WEBHOOK_TOLERANCE_SECONDS = 300;

/** Request headers: a `Headers`, or a plain record in any letter case (Node's, n8n's, Express's). */
export type WebhookHeaderInput =
  | Headers
  | { get(name: string): string | null }
  | Record<string, string | string[] | undefined>;

export interface VerifyWebhookOptions {
  /** How far the timestamp may be from now, either way. Default 300 seconds. */
  toleranceSeconds?: number;
  now?: Date;
}

export interface VerifiedWebhook {
  /** `webhook-id`: stays the same across retries, so a receiver can deduplicate. */
  id: string;
  /** `webhook-timestamp`, unix seconds. */
  timestamp: number;
}

export type VerifyWebhookSignature = (
  body: string,
  headers: WebhookHeaderInput,
  secret: string,
  options?: VerifyWebhookOptions,
) => Promise<VerifiedWebhook>;

/** The key bytes of a `whsec_` secret (the prefix is optional); `invalid_request` when it is not base64. */
export function decodeWebhookSecret(secret: string): Uint8Array<ArrayBuffer> {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  const bytes = encoded.length > 0 ? fromBase64(encoded) : null;
  if (bytes === null || bytes.length === 0) {
    throw new CountersignError("invalid_request", "The webhook secret must be `whsec_` followed by base64.");
  }
  return bytes;
}

function readHeader(headers: WebhookHeaderInput, name: string): string | null {
  if (typeof headers.get === "function") return (headers as { get(name: string): string | null }).get(name);
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name) continue;
    if (typeof value === "string") return value;
    // A header sent twice is ambiguous: refuse rather than pick one.
    if (Array.isArray(value) && value.length === 1 && typeof value[0] === "string") return value[0];
    return null;
  }
  return null;
}

function invalidSignature(message: string): CountersignError {
  return new CountersignError("webhook_invalid_signature", message);
}

export function createVerifyWebhookSignature(backend: AnyCryptoBackend): VerifyWebhookSignature {
  const keys = new Map<string, unknown>();
  async function keyFor(secret: string): Promise<unknown> {
    let key = keys.get(secret);
    if (key === undefined) {
      key = await backend.importHmacKey(decodeWebhookSecret(secret));
      if (keys.size >= 32) keys.clear();
      keys.set(secret, key);
    }
    return key;
  }

  /**
   * Verifies a Standard Webhooks delivery over the exact body text. Fails with
   * `webhook_timestamp_out_of_range` for a stale or future timestamp (a
   * replay), and `webhook_invalid_signature` when no `v1` signature matches.
   * It does not parse the body: use `parseJson` (or core's `verifyWebhook`).
   */
  return async function verifyWebhookSignature(body, headers, secret, options = {}) {
    const id = readHeader(headers, "webhook-id");
    const timestamp = readHeader(headers, "webhook-timestamp");
    const signatures = readHeader(headers, "webhook-signature");
    if (!id || !timestamp || !signatures) {
      throw invalidSignature("Missing webhook-id, webhook-timestamp or webhook-signature header.");
    }
    if (!/^\d{1,15}$/.test(timestamp))
      throw invalidSignature("The webhook-timestamp header is not unix seconds.");
    const tolerance = options.toleranceSeconds ?? DEFAULT_WEBHOOK_TOLERANCE_SECONDS;
    const nowSeconds = Math.floor((options.now ?? new Date()).getTime() / 1000);
    if (Math.abs(nowSeconds - Number(timestamp)) > tolerance) {
      throw new CountersignError(
        "webhook_timestamp_out_of_range",
        `The webhook timestamp is more than ${tolerance} seconds from now; refusing a possible replay.`,
      );
    }
    const key = await keyFor(secret);
    const content = `${id}.${timestamp}.${body}`;
    // A sender rotating its secret may send several signatures; any one that verifies is enough.
    for (const entry of signatures.split(" ")) {
      const [version, encoded] = entry.split(",", 2);
      if (version !== "v1" || !encoded) continue;
      const signature = backend.decodeBase64(encoded);
      if (signature === null) continue;
      if (await backend.verifyHmac(key, content, signature)) return { id, timestamp: Number(timestamp) };
    }
    throw invalidSignature("No webhook signature matches the secret.");
  };
}
