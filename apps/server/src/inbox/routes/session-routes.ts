import { CountersignError } from "@countersign/core";
import { authenticate } from "@countersign/core/server";
import { z } from "zod";
import { readJson } from "../http/read-json.ts";
import { jsonResponse } from "../http/responses.ts";
import type { InboxContext } from "../inbox-context.ts";
import { findApproverByEmail, inboxRoleOf, isKnownApprover } from "../session/approver-lookup.ts";
import { csrfToken, requireSameOrigin } from "../session/csrf.ts";
import { requireSession } from "../session/require-session.ts";
import {
  clearedSessionCookie,
  type InboxRole,
  type InboxSession,
  issueSession,
} from "../session/session-cookie.ts";
import { createSignInLink, redeemSignInToken } from "../session/sign-in-links.ts";
import type { InboxApp } from "./inbox-app.ts";

const ApiKeySignInSchema = z.strictObject({ api_key: z.string().trim().min(1).max(512) });
const LinkSignInSchema = z.strictObject({ token: z.string().min(1).max(2048) });
const LinkRequestSchema = z.strictObject({ email: z.string().trim().min(3).max(320) });

/** One link per address per half minute: the form cannot be used to flood someone's mailbox. */
const LINK_REQUEST_INTERVAL_MS = 30_000;

export function registerSessionRoutes(app: InboxApp, context: InboxContext): void {
  const lastLinkSent = new Map<string, number>();

  app.get("/inbox/api/session", async (c) => {
    const session = await requireSession(context, c.req.raw);
    return jsonResponse(describeSession(context, session));
  });

  app.post("/inbox/api/session", async (c) => {
    requireSameOrigin(context, c.req.raw);
    const body = await readJson(c.req.raw, ApiKeySignInSchema);
    const key = await authenticate(context.store, `Bearer ${body.api_key}`);
    if (key.role === "agent") {
      throw new CountersignError("forbidden", "Agent keys cannot sign in to the inbox; use an approver key");
    }
    if (!key.identity) {
      throw new CountersignError("forbidden", "This key has no approver identity; create it with --identity");
    }
    return signedIn(context, { identity: key.identity, role: key.role, via: "api_key", keyHash: key.hash });
  });

  app.post("/inbox/api/session/link", async (c) => {
    requireSameOrigin(context, c.req.raw);
    const body = await readJson(c.req.raw, LinkSignInSchema);
    const { identity, next } = await redeemSignInToken(context, body.token);
    if (!(await isKnownApprover(context.store, identity))) {
      throw new CountersignError("forbidden", `${identity} may no longer approve here`);
    }
    const role = await inboxRoleOf(context.store, identity);
    return signedIn(context, { identity, role, via: "link", keyHash: null }, next);
  });

  app.post("/inbox/api/session/link-request", async (c) => {
    requireSameOrigin(context, c.req.raw);
    const body = await readJson(c.req.raw, LinkRequestSchema);
    const approver = await findApproverByEmail(context.store, body.email);
    const now = context.now().getTime();
    if (approver && now - (lastLinkSent.get(approver.identity) ?? 0) >= LINK_REQUEST_INTERVAL_MS) {
      lastLinkSent.set(approver.identity, now);
      const link = createSignInLink(context, approver.identity);
      try {
        await context.sendSignInLink({ identity: approver.identity, email: approver.email, ...link });
      } catch (error) {
        context.log.error("sending a sign-in link failed", {
          identity: approver.identity,
          error: String(error),
        });
      }
    }
    // The same answer whether or not the address is known: the form reveals no approver list.
    return jsonResponse(
      { ok: true, message: "If that address belongs to an approver, a sign-in link is on its way." },
      202,
    );
  });

  app.post("/inbox/api/session/sign-out", (c) => {
    requireSameOrigin(context, c.req.raw);
    return jsonResponse({ ok: true }, 200, { "set-cookie": clearedSessionCookie(context) });
  });
}

function signedIn(
  context: InboxContext,
  input: { identity: string; role: InboxRole; via: InboxSession["via"]; keyHash: string | null },
  next: string | null = null,
): Response {
  const { session, setCookie } = issueSession(context, input);
  context.log.info("inbox sign-in", { identity: session.identity, via: session.via, role: session.role });
  return jsonResponse({ ...describeSession(context, session), next }, 200, { "set-cookie": setCookie });
}

function describeSession(context: InboxContext, session: InboxSession) {
  return {
    object: "inbox_session",
    identity: session.identity,
    role: session.role,
    via: session.via,
    expires_at: new Date(session.expiresAt).toISOString(),
    csrf_token: csrfToken(context, session),
  };
}
