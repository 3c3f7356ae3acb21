import { CountersignError } from "@countersign/core";
import { authenticate, findApprover } from "@countersign/core/server";
import { z } from "zod";
import {
  endWebSession,
  hashSessionToken,
  resumeWebSession,
  startWebSession,
  type WebSession,
} from "../../web-session/web-sessions.ts";
import { readJson } from "../http/read-json.ts";
import { jsonResponse } from "../http/responses.ts";
import type { InboxContext } from "../inbox-context.ts";
import { csrfToken, requireSameOrigin } from "../session/csrf.ts";
import { requireSession } from "../session/require-session.ts";
import { clearedSessionCookie, sessionCookie, sessionTokenOf } from "../session/session-cookie.ts";
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

  /** What the sign-in page may offer: e-mail links only when a mailer is configured. */
  app.get("/inbox/api/sign-in-options", () =>
    jsonResponse({ object: "sign_in_options", api_key: true, email_link: context.sendSignInLink !== null }),
  );

  app.post("/inbox/api/session", async (c) => {
    requireSameOrigin(context, c.req.raw);
    const body = await readJson(c.req.raw, ApiKeySignInSchema);
    const key = await authenticate(context.store, `Bearer ${body.api_key}`);
    if (key.role !== "approver" && key.role !== "admin") {
      throw new CountersignError(
        "forbidden",
        `${key.role} keys cannot sign in to the inbox; use an approver key`,
      );
    }
    if (!key.identity) {
      throw new CountersignError("forbidden", "This key has no approver identity; create it with --identity");
    }
    return signedIn(context, { identity: key.identity, via: "api_key", keyHash: key.hash });
  });

  app.post("/inbox/api/session/link", async (c) => {
    requireSameOrigin(context, c.req.raw);
    const body = await readJson(c.req.raw, LinkSignInSchema);
    const { identity, next } = await redeemSignInToken(context, body.token);
    const approver = await findApprover(context.store, identity);
    if (!approver) throw new CountersignError("forbidden", `${identity} may no longer approve here`);
    return signedIn(context, { identity: approver.identity, via: "link", keyHash: null }, next);
  });

  app.post("/inbox/api/session/link-request", async (c) => {
    requireSameOrigin(context, c.req.raw);
    const body = await readJson(c.req.raw, LinkRequestSchema);
    const send = context.sendSignInLink;
    if (send === null) {
      throw new CountersignError(
        "not_found",
        "E-mail sign-in is not configured on this server; sign in with a key",
      );
    }
    // Answered before anything depends on the address: the same reply, in the same time,
    // whether or not it belongs to an approver. The lookup and the mail happen afterwards.
    setImmediate(() => {
      void sendLinkIfApprover(context, send, body.email, lastLinkSent).catch((error: unknown) =>
        context.log.error("sending a sign-in link failed", { error: String(error) }),
      );
    });
    return jsonResponse(
      { ok: true, message: "If that address belongs to an approver, a sign-in link is on its way." },
      202,
    );
  });

  app.post("/inbox/api/session/sign-out", async (c) => {
    requireSameOrigin(context, c.req.raw);
    const token = sessionTokenOf(context, c.req.raw);
    if (token) await endWebSession(context.store, hashSessionToken(token), context.now());
    return jsonResponse({ ok: true }, 200, { "set-cookie": clearedSessionCookie(context) });
  });
}

async function sendLinkIfApprover(
  context: InboxContext,
  send: NonNullable<InboxContext["sendSignInLink"]>,
  email: string,
  lastLinkSent: Map<string, number>,
): Promise<void> {
  const approver = await findApprover(context.store, email);
  const now = context.now().getTime();
  if (!approver || now - (lastLinkSent.get(approver.identity) ?? 0) < LINK_REQUEST_INTERVAL_MS) return;
  lastLinkSent.set(approver.identity, now);
  const link = createSignInLink(context, approver.identity);
  await send({ identity: approver.identity, email: approver.email, ...link });
}

async function signedIn(
  context: InboxContext,
  input: { identity: string; via: WebSession["via"]; keyHash: string | null },
  next: string | null = null,
): Promise<Response> {
  const now = context.now();
  const { token } = await startWebSession(context.store, input, {
    now,
    ttlSeconds: context.sessionTtlSeconds,
  });
  // Read back exactly as every later request will: what it may do comes from the store.
  const resumed = await resumeWebSession(context.store, token, now);
  if (!resumed.ok)
    throw new CountersignError("unauthorized", "The sign-in could not be completed; try again");
  const { session } = resumed;
  context.log.info("inbox sign-in", { identity: session.identity, via: session.via, role: session.role });
  return jsonResponse({ ...describeSession(context, session), next }, 200, {
    "set-cookie": sessionCookie(context, token, context.sessionTtlSeconds),
  });
}

function describeSession(context: InboxContext, session: WebSession) {
  return {
    object: "inbox_session",
    identity: session.identity,
    role: session.role,
    via: session.via,
    expires_at: new Date(session.expiresAt).toISOString(),
    csrf_token: csrfToken(context, session),
  };
}
