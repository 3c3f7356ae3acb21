import { createHmac, timingSafeEqual } from "node:crypto";

/** Slack's replay window: requests older or newer than five minutes are refused. */
export const SLACK_SIGNATURE_TOLERANCE_SECONDS = 5 * 60;

export interface SlackSignatureInput {
  signingSecret: string;
  /** The `X-Slack-Request-Timestamp` header (Unix seconds). */
  timestamp: string | null;
  /** The `X-Slack-Signature` header, `v0=<hex>`. */
  signature: string | null;
  /** The raw request body, exactly as received. */
  body: string;
  /** Unix seconds; defaults to now. */
  nowSeconds?: number;
}

/** `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{body}` with the app's signing secret. */
export function signSlackRequest(signingSecret: string, timestamp: string | number, body: string): string {
  const digest = createHmac("sha256", signingSecret).update(`v0:${timestamp}:${body}`).digest("hex");
  return `v0=${digest}`;
}

/**
 * True only for a request Slack signed within the last five minutes.
 * The comparison runs in constant time so the signature cannot be guessed byte by byte.
 */
export function verifySlackSignature(input: SlackSignatureInput): boolean {
  const { timestamp, signature } = input;
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return false;
  const nowSeconds = input.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(nowSeconds - Number(timestamp)) > SLACK_SIGNATURE_TOLERANCE_SECONDS) return false;
  const expected = Buffer.from(signSlackRequest(input.signingSecret, timestamp, input.body), "utf8");
  const given = Buffer.from(signature, "utf8");
  // timingSafeEqual throws on different lengths; the length of a v0 signature is public.
  return given.length === expected.length && timingSafeEqual(given, expected);
}
