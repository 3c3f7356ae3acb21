import { randomBytes } from "node:crypto";
import { z } from "zod";
import { type InboxContext, servedOverHttps } from "../inbox-context.ts";
import { readToken, signToken } from "./signed-token.ts";

export type InboxRole = "approver" | "admin";

/** A signed-in approver. Stateless: everything lives in the signed cookie. */
export interface InboxSession {
  sessionId: string;
  identity: string;
  role: InboxRole;
  via: "api_key" | "link";
  /** Hash of the API key signed in with, so a revoked key ends the session at once. */
  keyHash: string | null;
  /** Epoch milliseconds. */
  expiresAt: number;
}

const PURPOSE = "session.v1";

const SessionPayloadSchema = z.strictObject({
  v: z.literal(1),
  sid: z.string().min(16),
  identity: z.string().min(1),
  role: z.enum(["approver", "admin"]),
  via: z.enum(["api_key", "link"]),
  key_hash: z.string().nullable(),
  exp: z.number().int(),
});

export function sessionCookieName(context: InboxContext): string {
  // `__Host-` cookies are only accepted with Secure, Path=/ and no Domain: no subdomain can plant one.
  return servedOverHttps(context) ? "__Host-countersign_session" : "countersign_session";
}

/** Starts a session; returns it with the `Set-Cookie` value. */
export function issueSession(
  context: InboxContext,
  input: Pick<InboxSession, "identity" | "role" | "via" | "keyHash">,
): { session: InboxSession; setCookie: string } {
  const expiresAt = context.now().getTime() + context.sessionTtlSeconds * 1000;
  const session: InboxSession = { ...input, sessionId: randomBytes(18).toString("base64url"), expiresAt };
  const token = signToken(context.secret, PURPOSE, {
    v: 1,
    sid: session.sessionId,
    identity: session.identity,
    role: session.role,
    via: session.via,
    key_hash: session.keyHash,
    exp: Math.floor(expiresAt / 1000),
  });
  return { session, setCookie: cookie(context, token, context.sessionTtlSeconds) };
}

/** The `Set-Cookie` value that signs out. */
export function clearedSessionCookie(context: InboxContext): string {
  return cookie(context, "", 0);
}

/** The session in the request's cookie when it is authentic and not expired; otherwise `null`. */
export function readSession(context: InboxContext, request: Request): InboxSession | null {
  const token = readCookie(request.headers.get("cookie"), sessionCookieName(context));
  if (!token) return null;
  const parsed = SessionPayloadSchema.safeParse(readToken(context.secret, PURPOSE, token));
  if (!parsed.success) return null;
  const payload = parsed.data;
  const expiresAt = payload.exp * 1000;
  if (expiresAt <= context.now().getTime()) return null;
  return {
    sessionId: payload.sid,
    identity: payload.identity,
    role: payload.role,
    via: payload.via,
    keyHash: payload.key_hash,
    expiresAt,
  };
}

function cookie(context: InboxContext, value: string, maxAgeSeconds: number): string {
  const parts = [
    `${sessionCookieName(context)}=${value}`,
    "Path=/",
    "HttpOnly",
    // Strict: the inbox page itself is static; only its own same-origin requests need the cookie.
    "SameSite=Strict",
    `Max-Age=${maxAgeSeconds}`,
  ];
  if (servedOverHttps(context)) parts.push("Secure");
  return parts.join("; ");
}

function readCookie(header: string | null, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(";")) {
    const index = part.indexOf("=");
    if (index > 0 && part.slice(0, index).trim() === name) return part.slice(index + 1).trim();
  }
  return null;
}
