import { CountersignError } from "@countersign/core";
import type { InboxContext } from "../inbox-context.ts";
import { requireCsrfToken, requireSameOrigin } from "./csrf.ts";
import { type InboxSession, readSession } from "./session-cookie.ts";

/** The signed-in approver, or `unauthorized`. A session made with an API key ends when the key is revoked. */
export async function requireSession(context: InboxContext, request: Request): Promise<InboxSession> {
  const session = readSession(context, request);
  if (!session) throw new CountersignError("unauthorized", "Sign in to the inbox first");
  if (session.keyHash !== null) {
    const key = await context.store.findApiKeyByHash(session.keyHash);
    if (!key || key.revokedAt !== null) {
      throw new CountersignError("unauthorized", "The API key you signed in with was revoked; sign in again");
    }
  }
  return session;
}

/** For requests that change something: a session, the same origin, and the session's CSRF token. */
export async function requireSessionForChange(
  context: InboxContext,
  request: Request,
): Promise<InboxSession> {
  requireSameOrigin(context, request);
  const session = await requireSession(context, request);
  requireCsrfToken(context, request, session);
  return session;
}

export function requireAdmin(session: InboxSession, what: string): void {
  if (session.role !== "admin") {
    throw new CountersignError("forbidden", `Only admins may ${what}; sign in with an admin key`);
  }
}
