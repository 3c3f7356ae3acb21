import { CountersignError } from "@countersign/core";
import { csrfTokenFor, isValidCsrfToken } from "../../web-session/csrf.ts";
import { isSameOrigin } from "../../web-session/same-origin.ts";
import type { WebSession } from "../../web-session/web-sessions.ts";
import type { InboxContext } from "../inbox-context.ts";

export const CSRF_HEADER = "x-csrf-token";

/** The session's CSRF token: bound to the session, so it dies with it. */
export function csrfToken(context: InboxContext, session: WebSession): string {
  return csrfTokenFor(context.secret, session.sessionHash);
}

/** Every state-changing request carries the token as a header, which no cross-site form can set. */
export function requireCsrfToken(context: InboxContext, request: Request, session: WebSession): void {
  if (!isValidCsrfToken(context.secret, session.sessionHash, request.headers.get(CSRF_HEADER) ?? "")) {
    throw new CountersignError("forbidden", "Missing or wrong CSRF token; reload the inbox and try again");
  }
}

/** Refuses requests that a browser marks as coming from another site (see same-origin.ts). */
export function requireSameOrigin(context: InboxContext, request: Request): void {
  if (!isSameOrigin(request, [context.baseUrl(), ...context.allowedOrigins])) {
    const origin = request.headers.get("origin");
    throw new CountersignError(
      "forbidden",
      origin && origin !== "null"
        ? `Requests from ${origin} may not change anything in the inbox`
        : "Cross-site requests may not change anything in the inbox",
    );
  }
}
