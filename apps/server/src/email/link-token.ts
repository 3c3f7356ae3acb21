import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { z } from "zod";

/**
 * What a decision link carries. Version 1; a future format gets a new `v`
 * and this schema refuses it until it is parsed on purpose.
 */
export const LinkClaimsSchema = z.strictObject({
  v: z.literal(1),
  /** The pause the link decides. */
  pause_id: z.string().min(1).max(100),
  /** Who decides: the proof's `decided_by.id`. */
  identity: z.string().min(1).max(320),
  /** The address the link was mailed to. */
  email: z.string().min(1).max(320),
  /** The choice the link preselects on the confirmation page. */
  decision: z.enum(["approve", "reject"]),
  /** Unix seconds after which the link is refused. */
  expires_at: z.int().min(0),
  /** Random id, spent once by the decision (both links of one e-mail share it). */
  token_id: z.string().min(16).max(64),
});
export type LinkClaims = z.infer<typeof LinkClaimsSchema>;

export type LinkReading =
  | { ok: true; claims: LinkClaims }
  | { ok: false; problem: "malformed" | "bad_signature" };

const LINK_PURPOSE = "countersign.email.link.v1";
const MAX_TOKEN_LENGTH = 2_048;

/** A fresh random token id (128 bits). */
export function newTokenId(): string {
  return randomBytes(16).toString("base64url");
}

/** `<base64url JSON claims>.<base64url HMAC-SHA256>`: only a holder of the secret can mint one. */
export function signLinkToken(secret: string, claims: LinkClaims): string {
  const body = Buffer.from(JSON.stringify(claims), "utf8").toString("base64url");
  return `${body}.${hmac(secret, LINK_PURPOSE, body)}`;
}

/**
 * Checks the signature (in constant time) before it reads anything, then
 * parses the claims with their schema. Expiry is the caller's to check: an
 * expired link deserves its own page.
 */
export function readLinkToken(secret: string, token: string): LinkReading {
  if (token.length === 0 || token.length > MAX_TOKEN_LENGTH) return { ok: false, problem: "malformed" };
  const parts = token.split(".");
  if (parts.length !== 2) return { ok: false, problem: "malformed" };
  const [body, signature] = parts as [string, string];
  if (!constantTimeEqual(signature, hmac(secret, LINK_PURPOSE, body))) {
    return { ok: false, problem: "bad_signature" };
  }
  try {
    const parsed = LinkClaimsSchema.safeParse(JSON.parse(Buffer.from(body, "base64url").toString("utf8")));
    return parsed.success ? { ok: true, claims: parsed.data } : { ok: false, problem: "malformed" };
  } catch {
    return { ok: false, problem: "malformed" };
  }
}

/** HMAC-SHA256 of `purpose.value`, base64url; `purpose` keeps a link from passing as a CSRF token and back. */
export function hmac(secret: string, purpose: string, value: string): string {
  return createHmac("sha256", secret).update(`${purpose}.${value}`).digest("base64url");
}

/** String comparison whose time does not depend on where the strings differ. */
export function constantTimeEqual(presented: string, expected: string): boolean {
  const given = Buffer.from(presented, "utf8");
  const wanted = Buffer.from(expected, "utf8");
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}
