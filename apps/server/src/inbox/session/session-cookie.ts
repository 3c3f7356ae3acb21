import { type InboxContext, servedOverHttps } from "../inbox-context.ts";

export function sessionCookieName(context: InboxContext): string {
  // `__Host-` cookies are only accepted with Secure, Path=/ and no Domain: no subdomain can plant one.
  return servedOverHttps(context) ? "__Host-countersign_session" : "countersign_session";
}

/** The `Set-Cookie` value that carries a session token for `maxAgeSeconds`. */
export function sessionCookie(context: InboxContext, token: string, maxAgeSeconds: number): string {
  const parts = [
    `${sessionCookieName(context)}=${token}`,
    "Path=/",
    "HttpOnly",
    // Strict: the inbox page itself is static; only its own same-origin requests need the cookie.
    "SameSite=Strict",
    `Max-Age=${maxAgeSeconds}`,
  ];
  if (servedOverHttps(context)) parts.push("Secure");
  return parts.join("; ");
}

/** The `Set-Cookie` value that removes the cookie (the session itself is ended in the store). */
export function clearedSessionCookie(context: InboxContext): string {
  return sessionCookie(context, "", 0);
}

/** The session token in the request's cookie, if any. */
export function sessionTokenOf(context: InboxContext, request: Request): string | null {
  const header = request.headers.get("cookie");
  if (!header) return null;
  const name = sessionCookieName(context);
  for (const part of header.split(";")) {
    const index = part.indexOf("=");
    if (index > 0 && part.slice(0, index).trim() === name) return part.slice(index + 1).trim() || null;
  }
  return null;
}
