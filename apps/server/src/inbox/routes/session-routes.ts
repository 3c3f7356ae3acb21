import { CountersignError } from "@countersign/core";
import { authenticate, findApprover, type Route } from "@countersign/core/server";
import { z } from "zod";
import {
  endWebSession,
  hashSessionToken,
  resumeWebSession,
  startWebSession,
  type WebSession,
} from "../../web-session/web-sessions.ts";
import { jsonResponse } from "../http/responses.ts";
import type { InboxContext } from "../inbox-context.ts";
import { csrfToken } from "../session/csrf.ts";
import { clearedSessionCookie, sessionCookie, sessionTokenOf } from "../session/session-cookie.ts";
import { createSignInLink, redeemSignInToken } from "../session/sign-in-links.ts";
import { type InboxAuth, openRoute, sessionRoute } from "./inbox-route.ts";

const ApiKeySignInSchema = z.strictObject({ api_key: z.string().trim().min(1).max(512) });
const LinkSignInSchema = z.strictObject({ token: z.string().min(1).max(2048) });
const LinkRequestSchema = z.strictObject({ email: z.string().trim().min(3).max(320) });

/** One link per address per half minute: the form cannot be used to flood someone's mailbox. */
const LINK_REQUEST_INTERVAL_MS = 30_000;

const SessionSchema = z.strictObject({
  object: z.literal("inbox_session"),
  identity: z.string(),
  role: z.enum(["approver", "admin"]),
  via: z.enum(["api_key", "link"]),
  expires_at: z.string().describe("ISO 8601"),
  csrf_token: z.string().describe("Send it as `X-CSRF-Token` on every request that changes something."),
});
const SignedInSchema = SessionSchema.extend({
  next: z.string().nullable().describe("An inbox path to open after a link sign-in."),
});
const SignInOptionsSchema = z.strictObject({
  object: z.literal("sign_in_options"),
  api_key: z.boolean(),
  email_link: z.boolean().describe("Whether the server can mail a sign-in link (a mailer is configured)."),
});
const OkSchema = z.strictObject({ ok: z.literal(true), message: z.string().optional() });

const SIGNED_IN = "Signed in; the session cookie is set (`Set-Cookie`)";

/** Sessions: who is signed in, signing in with a key or a link, asking for a link, signing out. */
export function sessionRoutes(context: InboxContext): Route<InboxAuth>[] {
  const lastLinkSent = new Map<string, number>();
  return [
    sessionRoute({
      operationId: "inboxGetSession",
      method: "get",
      path: "/inbox/api/session",
      summary: "The signed-in approver",
      description: "Who the session belongs to, what it may do, and its CSRF token.",
      tags: ["inbox"],
      security: { kind: "session" },
      responses: { 200: { description: "The session", schema: SessionSchema } },
      errors: [401],
      handle: ({ auth }) => jsonResponse(describeSession(context, auth)),
    }),
    /** What the sign-in page may offer: e-mail links only when a mailer is configured. */
    openRoute({
      operationId: "inboxSignInOptions",
      method: "get",
      path: "/inbox/api/sign-in-options",
      summary: "What the sign-in page may offer",
      tags: ["inbox"],
      responses: { 200: { description: "The sign-in methods", schema: SignInOptionsSchema } },
      errors: [],
      handle: () =>
        jsonResponse({
          object: "sign_in_options",
          api_key: true,
          email_link: context.sendSignInLink !== null,
        }),
    }),
    openRoute({
      operationId: "inboxSignIn",
      method: "post",
      path: "/inbox/api/session",
      summary: "Sign in with an approver or admin key",
      description: "Same-origin only. The key is checked once; the session lives in the store.",
      tags: ["inbox"],
      body: { schema: ApiKeySignInSchema, required: true },
      responses: { 200: { description: SIGNED_IN, schema: SignedInSchema } },
      errors: [400, 401, 403],
      async handle({ body }) {
        const key = await authenticate(context.store, `Bearer ${body.api_key}`);
        if (key.role !== "approver" && key.role !== "admin") {
          throw new CountersignError(
            "forbidden",
            `${key.role} keys cannot sign in to the inbox; use an approver key`,
          );
        }
        if (!key.identity) {
          throw new CountersignError(
            "forbidden",
            "This key has no approver identity; create it with --identity",
          );
        }
        return signedIn(context, { identity: key.identity, via: "api_key", keyHash: key.hash });
      },
    }),
    openRoute({
      operationId: "inboxSignInWithLink",
      method: "post",
      path: "/inbox/api/session/link",
      summary: "Sign in with a one-time link's token",
      description: "Same-origin only. The token comes from the link's fragment; it is spent on first use.",
      tags: ["inbox"],
      body: { schema: LinkSignInSchema, required: true },
      responses: { 200: { description: SIGNED_IN, schema: SignedInSchema } },
      errors: [400, 401, 403],
      async handle({ body }) {
        const { identity, next } = await redeemSignInToken(context, body.token);
        const approver = await findApprover(context.store, identity);
        if (!approver) throw new CountersignError("forbidden", `${identity} may no longer approve here`);
        return signedIn(context, { identity: approver.identity, via: "link", keyHash: null }, next);
      },
    }),
    openRoute({
      operationId: "inboxRequestSignInLink",
      method: "post",
      path: "/inbox/api/session/link-request",
      summary: "Mail a sign-in link",
      description:
        "Same-origin only. The same answer whether or not the address belongs to an approver; 404 when no mailer is configured.",
      tags: ["inbox"],
      body: { schema: LinkRequestSchema, required: true },
      responses: {
        202: { description: "A link is sent if the address belongs to an approver", schema: OkSchema },
      },
      errors: [400, 403, 404],
      handle({ body }) {
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
      },
    }),
    openRoute({
      operationId: "inboxSignOut",
      method: "post",
      path: "/inbox/api/session/sign-out",
      summary: "Sign out",
      description: "Same-origin only. Ends the session in the cookie, if any, and clears the cookie.",
      tags: ["inbox"],
      responses: { 200: { description: "Signed out", schema: OkSchema } },
      errors: [403],
      async handle({ request }) {
        const token = sessionTokenOf(context, request);
        if (token) await endWebSession(context.store, hashSessionToken(token), context.now());
        return jsonResponse({ ok: true }, 200, { "set-cookie": clearedSessionCookie(context) });
      },
    }),
  ];
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
