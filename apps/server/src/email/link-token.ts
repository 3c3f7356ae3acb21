import { randomBytes } from "node:crypto";
import { z } from "zod";
import { openSealedToken, sealToken } from "../web-session/sealed-token.ts";

/**
 * What a decision link carries, sealed (encrypted and authenticated) so a
 * proxy or mail-gateway log that sees the link learns nothing from it.
 * Version 1; a future format gets a new `v` and this schema refuses it until
 * it is parsed on purpose.
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
  | { ok: false; problem: "malformed" | "unreadable" };

/** Sealed links; `email.link.v1` was the readable, signed format of earlier releases, no longer accepted. */
const LINK_PURPOSE = "email.link.sealed.v1";
const MAX_TOKEN_LENGTH = 2_048;

/** A fresh random token id (128 bits). */
export function newTokenId(): string {
  return randomBytes(16).toString("base64url");
}

/** A token only a holder of the web secret can mint or read (web-session/sealed-token.ts). */
export function sealLinkToken(secret: string, claims: LinkClaims): string {
  return sealToken(secret, LINK_PURPOSE, claims);
}

/**
 * Checks the seal (AES-GCM's tag) before it reads anything, then parses the
 * claims with their schema. Expiry is the caller's to check: an expired link
 * deserves its own page.
 */
export function readLinkToken(secret: string, token: string): LinkReading {
  if (token.length === 0 || token.length > MAX_TOKEN_LENGTH) return { ok: false, problem: "malformed" };
  const payload = openSealedToken(secret, LINK_PURPOSE, token);
  if (payload === null) return { ok: false, problem: "unreadable" };
  const parsed = LinkClaimsSchema.safeParse(payload);
  return parsed.success ? { ok: true, claims: parsed.data } : { ok: false, problem: "malformed" };
}
