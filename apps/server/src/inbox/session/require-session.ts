import { CountersignError } from "@countersign/core";
import { resumeWebSession, type WebSession } from "../../web-session/web-sessions.ts";
import type { InboxContext } from "../inbox-context.ts";
import { requireCsrfToken, requireSameOrigin } from "./csrf.ts";
import { sessionTokenOf } from "./session-cookie.ts";

const ENDED: Record<string, string> = {
  unknown: "Sign in to the inbox first",
  signed_out: "You signed out; sign in again",
  expired: "Your sign-in expired; sign in again",
  revoked: "Your access was revoked (the key you signed in with, or your approver identity); sign in again",
};

/**
 * The signed-in approver, read from the store on every request, or
 * `unauthorized` saying why: signed out, expired, or the key or identity
 * behind it revoked since.
 */
export async function requireSession(context: InboxContext, request: Request): Promise<WebSession> {
  const token = sessionTokenOf(context, request);
  if (!token) throw new CountersignError("unauthorized", ENDED.unknown!);
  const resumed = await resumeWebSession(context.store, token, context.now());
  if (!resumed.ok) throw new CountersignError("unauthorized", ENDED[resumed.end]!);
  return resumed.session;
}

/** For requests that change something: a session, the same origin, and the session's CSRF token. */
export async function requireSessionForChange(context: InboxContext, request: Request): Promise<WebSession> {
  requireSameOrigin(context, request);
  const session = await requireSession(context, request);
  requireCsrfToken(context, request, session);
  return session;
}

export function requireAdmin(session: WebSession, what: string): void {
  if (session.role !== "admin") {
    throw new CountersignError("forbidden", `Only admins may ${what}; sign in with an admin key`);
  }
}
