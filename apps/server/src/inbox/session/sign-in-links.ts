import { randomBytes } from "node:crypto";
import { CountersignError } from "@countersign/core";
import { z } from "zod";
import { readToken, signToken } from "../../web-session/signed-token.ts";
import type { InboxContext } from "../inbox-context.ts";

const PURPOSE = "sign-in-link.v1";

/** The page that shows a "Continue" button; the token rides in the fragment, so it never reaches logs or `Referer`. */
export const SIGN_IN_LINK_PATH = "/inbox/sign-in/link";

const LinkPayloadSchema = z.strictObject({
  v: z.literal(1),
  identity: z.string().min(1),
  exp: z.number().int(),
  jti: z.string().min(16),
  next: z.string().optional(),
});

export interface SignInLink {
  url: string;
  expiresAt: string;
}

/**
 * A one-time sign-in link for `identity`: signed, expiring, spent on first
 * use. `next` is an inbox path to open afterwards (e.g. a pause's card).
 */
export function createSignInLink(
  context: InboxContext,
  identity: string,
  options: { next?: string } = {},
): SignInLink {
  const expiresAtMs = context.now().getTime() + context.signInLinkTtlSeconds * 1000;
  const next = safeNextPath(options.next);
  const token = signToken(context.secret, PURPOSE, {
    v: 1,
    identity,
    exp: Math.floor(expiresAtMs / 1000),
    jti: randomBytes(18).toString("base64url"),
    ...(next && { next }),
  });
  return {
    url: `${context.baseUrl()}${SIGN_IN_LINK_PATH}#token=${token}`,
    expiresAt: new Date(Math.floor(expiresAtMs / 1000) * 1000).toISOString(),
  };
}

/** Checks and spends a sign-in token; the identity it names, or `unauthorized` saying why not. */
export async function redeemSignInToken(
  context: InboxContext,
  token: string,
): Promise<{ identity: string; next: string | null }> {
  const parsed = LinkPayloadSchema.safeParse(readToken(context.secret, PURPOSE, token));
  if (!parsed.success) throw new CountersignError("unauthorized", "This sign-in link is not valid");
  const { identity, exp, jti, next } = parsed.data;
  const expiresAt = new Date(exp * 1000);
  // Expired tokens are refused before consuming: the store may purge spent entries past their expiry.
  if (expiresAt.getTime() <= context.now().getTime()) {
    throw new CountersignError("unauthorized", "This sign-in link has expired; ask for a new one");
  }
  if (!(await context.store.consumeToken(`signin_${jti}`, expiresAt.toISOString()))) {
    throw new CountersignError("unauthorized", "This sign-in link was already used; ask for a new one");
  }
  return { identity, next: safeNextPath(next) ?? null };
}

/** Only paths inside this site: no scheme, no `//host`, no backslashes. */
export function safeNextPath(next: string | undefined): string | undefined {
  if (next === undefined || !next.startsWith("/") || next.startsWith("//") || next.includes("\\")) {
    return undefined;
  }
  return next;
}
