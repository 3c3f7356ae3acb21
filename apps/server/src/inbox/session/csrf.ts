import { timingSafeEqual } from "node:crypto";
import { CountersignError } from "@countersign/core";
import type { InboxContext } from "../inbox-context.ts";
import type { InboxSession } from "./session-cookie.ts";
import { mac } from "./signed-token.ts";

export const CSRF_HEADER = "x-csrf-token";

/** The session's CSRF token: an HMAC of its id, so it needs no storage and dies with the session. */
export function csrfToken(context: InboxContext, session: InboxSession): string {
  return mac(context.secret, "csrf.v1", session.sessionId);
}

/** Every state-changing request carries the token as a header, which no cross-site form can set. */
export function requireCsrfToken(context: InboxContext, request: Request, session: InboxSession): void {
  const presented = Buffer.from(request.headers.get(CSRF_HEADER) ?? "", "utf8");
  const expected = Buffer.from(csrfToken(context, session), "utf8");
  if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) {
    throw new CountersignError("forbidden", "Missing or wrong CSRF token; reload the inbox and try again");
  }
}

/**
 * Refuses requests that a browser marks as coming from another site. A
 * request without `Origin` and `Sec-Fetch-Site` is not from a browser page
 * and still needs the CSRF token (or has no session to abuse).
 */
export function requireSameOrigin(context: InboxContext, request: Request): void {
  const origin = request.headers.get("origin");
  if (origin === null) {
    const site = request.headers.get("sec-fetch-site");
    if (site !== null && site !== "same-origin" && site !== "none") {
      throw new CountersignError("forbidden", "Cross-site requests may not change anything in the inbox");
    }
    return;
  }
  const allowed = new Set([
    new URL(request.url).origin,
    originOf(context.baseUrl()),
    ...context.allowedOrigins,
  ]);
  if (!allowed.has(origin)) {
    throw new CountersignError("forbidden", `Requests from ${origin} may not change anything in the inbox`);
  }
}

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}
