import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * `<base64url JSON>.<base64url HMAC-SHA256>`: a value only this server can
 * mint. `purpose` separates the kinds (a session cookie is never accepted as
 * a sign-in link and the other way round).
 */
export function signToken(secret: string, purpose: string, payload: Record<string, unknown>): string {
  const body = Buffer.from(JSON.stringify(payload), "utf8").toString("base64url");
  return `${body}.${mac(secret, purpose, body)}`;
}

/** The payload of a token this server signed for `purpose`, or `null` for anything else. */
export function readToken(secret: string, purpose: string, token: string): unknown {
  const parts = token.split(".");
  if (parts.length !== 2) return null;
  const [body, presented] = parts as [string, string];
  const expected = Buffer.from(mac(secret, purpose, body), "base64url");
  const given = Buffer.from(presented, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    return JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
  } catch {
    return null;
  }
}

/** HMAC-SHA256 of `purpose.value`, base64url. */
export function mac(secret: string, purpose: string, value: string): string {
  return createHmac("sha256", secret).update(`countersign.inbox.${purpose}.${value}`).digest("base64url");
}
