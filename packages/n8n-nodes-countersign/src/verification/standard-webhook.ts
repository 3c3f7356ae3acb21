import { createHmac, timingSafeEqual } from "node:crypto";
import { VerificationError } from "./verification-error.ts";

// Standard Webhooks (https://www.standardwebhooks.com) verification with
// node:crypto: `webhook-signature: v1,<base64 HMAC-SHA256("id.timestamp.body")>`
// keyed with the base64 bytes after `whsec_`.

const SECRET_PREFIX = "whsec_";
const DEFAULT_TOLERANCE_SECONDS = 300;

export type HeaderBag = Record<string, string | string[] | undefined>;

export interface VerifyStandardWebhookOptions {
  /** How far the timestamp may be from now, either way. Default 300 seconds. */
  toleranceSeconds?: number;
  now?: Date;
}

/** The key bytes of a `whsec_` secret; throws when it is not base64. */
export function webhookSecretBytes(secret: string): Buffer {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) {
    throw new TypeError("The webhook secret must be `whsec_` followed by base64");
  }
  return Buffer.from(encoded, "base64");
}

function header(headers: HeaderBag, name: string): string | null {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name) continue;
    if (typeof value === "string") return value;
    if (Array.isArray(value) && value.length === 1 && typeof value[0] === "string") return value[0];
    return null;
  }
  return null;
}

/**
 * Checks a delivery's signature and timestamp over the exact body bytes.
 * Throws a `VerificationError` when the request did not come from the holder
 * of the secret, or is older (or newer) than the tolerance: a replay.
 */
export function verifyStandardWebhook(
  body: string,
  headers: HeaderBag,
  secret: string,
  options: VerifyStandardWebhookOptions = {},
): void {
  const id = header(headers, "webhook-id");
  const timestamp = header(headers, "webhook-timestamp");
  const signatures = header(headers, "webhook-signature");
  if (!id || !timestamp || !signatures) {
    throw new VerificationError(
      "webhook_invalid_signature",
      "Missing webhook-id, webhook-timestamp or webhook-signature header",
    );
  }
  if (!/^\d{1,15}$/.test(timestamp)) {
    throw new VerificationError(
      "webhook_invalid_signature",
      "The webhook-timestamp header is not unix seconds",
    );
  }
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const nowSeconds = Math.floor((options.now ?? new Date()).getTime() / 1000);
  if (Math.abs(nowSeconds - Number(timestamp)) > tolerance) {
    throw new VerificationError(
      "webhook_timestamp_out_of_range",
      `The webhook timestamp is more than ${tolerance} seconds from now; refusing a possible replay`,
    );
  }
  const expected = createHmac("sha256", webhookSecretBytes(secret))
    .update(`${id}.${timestamp}.${body}`, "utf8")
    .digest();
  // A sender rotating its secret may send several signatures; any one that matches is enough.
  for (const entry of signatures.split(" ")) {
    const [version, encoded] = entry.split(",", 2);
    if (version !== "v1" || !encoded || !/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) continue;
    const presented = Buffer.from(encoded, "base64");
    if (presented.length === expected.length && timingSafeEqual(presented, expected)) return;
  }
  throw new VerificationError("webhook_invalid_signature", "No webhook signature matches the secret");
}
