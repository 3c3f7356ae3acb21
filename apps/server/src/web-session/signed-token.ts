import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * `<base64url JSON>.<base64url HMAC-SHA256>`: a value only this server can
 * mint (sign-in links, e-mail decision links). `purpose` separates the
 * kinds: a token of one purpose is never accepted as another.
 */
export function signToken(secret: string, purpose: string, payload: Record<string, unknown>): string {
  const body = Buffer.from(JSON.stringify(payload), "utf8").toString("base64url");
  return `${body}.${mac(secret, purpose, body)}`;
}

/** The payload of a token this server signed for `purpose`, or `null` for anything else. Checks the MAC first, in constant time. */
export function readToken(secret: string, purpose: string, token: string): unknown {
  const parts = token.split(".");
  if (parts.length !== 2) return null;
  const [body, presented] = parts as [string, string];
  if (!constantTimeEqual(presented, mac(secret, purpose, body))) return null;
  try {
    return JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
  } catch {
    return null;
  }
}

/** HMAC-SHA256 of `purpose.value`, base64url. */
export function mac(secret: string, purpose: string, value: string): string {
  return createHmac("sha256", secret).update(`countersign.web.${purpose}.${value}`).digest("base64url");
}

/** String comparison whose time does not depend on where the strings differ. */
export function constantTimeEqual(presented: string, expected: string): boolean {
  const given = Buffer.from(presented, "utf8");
  const wanted = Buffer.from(expected, "utf8");
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}
