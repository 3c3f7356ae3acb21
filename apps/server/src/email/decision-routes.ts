import { isCountersignError, type Pause } from "@countersign/core";
import type { ApprovalService, ChannelRoute, Logger } from "@countersign/core/server";
import { csrfTokenFor, isValidCsrfToken } from "../web-session/csrf.ts";
import { isSameOrigin } from "../web-session/same-origin.ts";
import { confirmationPage, PRESET_REJECT_REASONS } from "./confirmation-page.ts";
import { landingPage } from "./landing-page.ts";
import { type LinkClaims, readLinkToken } from "./link-token.ts";
import { closedPage, decidedPage } from "./outcome-pages.ts";
import { messagePage } from "./page-layout.ts";

export interface DecisionRouteContext {
  service: ApprovalService;
  secret: string;
  consumeToken: (tokenId: string, expiresAt: string) => Promise<boolean>;
  /** Where the confirmation page lives, e.g. `/email/decide`. */
  path: string;
  /** Origins besides the request's own that may post the form (the server's public URL, a proxy's). */
  allowedOrigins: () => readonly string[];
  now: () => Date;
  log: Logger;
}

const MAX_FORM_BYTES = 16 * 1024;
const LINK_CREDENTIAL = "A sealed (encrypted), expiring, single-use e-mail link token bound to one approver";
const MAX_REASON_LENGTH = 2_000;

/** Where the landing page posts the token from the fragment to see the request. */
export function openPathFor(path: string): string {
  return `${path}/open`;
}

/**
 * `GET <path>#token=…` lands on a page whose script posts the token from the
 * fragment (never sent to a server, so never in a proxy's log) to
 * `POST <path>/open`, which shows the confirmation page. Neither changes
 * anything (mail scanners fetch links, some run their scripts). `POST <path>`
 * with the token, the CSRF token, the decision and a reason decides: the link
 * is spent right before the decision, so it decides at most once.
 */
export function decisionRoutes(context: DecisionRouteContext): ChannelRoute[] {
  return [
    {
      method: "GET",
      path: context.path,
      summary: "Where an e-mail decision link lands",
      description:
        "Carries no token itself: the link's token is in the URL fragment, which the page's script posts to the confirmation page. It never changes anything (mail scanners fetch links).",
      responseContentType: "text/html",
      handler: (request) => guarded(context, async () => landing(context, request)),
    },
    {
      method: "POST",
      path: openPathFor(context.path),
      summary: "The e-mail decision page",
      description:
        "The landing page's form: `token` (from the link's fragment). Shows the request and the Approve and Reject form. It never changes anything; only that form decides.",
      credential: LINK_CREDENTIAL,
      requestContentType: "application/x-www-form-urlencoded",
      responseContentType: "text/html",
      handler: (request) => guarded(context, () => showPage(context, request)),
    },
    {
      method: "POST",
      path: context.path,
      summary: "Decide from the e-mail decision page",
      description:
        "The page's form: `token`, `csrf`, `decision` (approve or reject) and for a rejection a `preset` and/or `reason`. Spends the link, then decides once. Answers with a page.",
      credential: `${LINK_CREDENTIAL}, with the page's CSRF token, from the same origin`,
      requestContentType: "application/x-www-form-urlencoded",
      responseContentType: "text/html",
      handler: (request) => guarded(context, () => decide(context, request)),
    },
  ];
}

async function guarded(context: DecisionRouteContext, work: () => Promise<Response>): Promise<Response> {
  try {
    return await work();
  } catch (error) {
    // Fail closed and say so: nothing was decided.
    context.log.error("e-mail decision page failed", {
      error: error instanceof Error ? error.message : String(error),
    });
    return messagePage(503, "Nothing was decided", [
      "Countersign could not complete this just now. Nothing was decided; try the link again in a minute.",
    ]);
  }
}

function landing(context: DecisionRouteContext, request: Request): Response {
  if (new URL(request.url).searchParams.has("token")) {
    // A link from before tokens moved to the fragment: it was readable, so it is no longer honoured.
    return messagePage(410, "This link is from an older e-mail", [
      "Links in e-mails sent before Countersign was upgraded no longer work. Nothing was decided. Decide in the Countersign inbox instead.",
    ]);
  }
  return landingPage(openPathFor(context.path), inboxUrl(context));
}

function inboxUrl(context: DecisionRouteContext): string {
  return `${context.service.baseUrl}/inbox/`;
}

async function showPage(context: DecisionRouteContext, request: Request): Promise<Response> {
  const form = await readForm(request);
  if (form instanceof Response) return form;
  const token = form.get("token") ?? "";
  const link = checkLink(context, token);
  if (link instanceof Response) return link;
  const pause = await pendingPause(context, link);
  if (pause instanceof Response) return pause;
  return confirmationPage(pause, {
    action: context.path,
    token,
    csrf: csrfTokenFor(context.secret, link.token_id),
    claims: link,
    decision: link.decision,
  });
}

async function decide(context: DecisionRouteContext, request: Request): Promise<Response> {
  const form = await readForm(request);
  if (form instanceof Response) return form;
  const token = form.get("token") ?? "";
  const link = checkLink(context, token);
  if (link instanceof Response) return link;
  if (
    !isSameOrigin(request, context.allowedOrigins()) ||
    !isValidCsrfToken(context.secret, link.token_id, form.get("csrf") ?? "")
  ) {
    return messagePage(403, "This form was not sent from Countersign", [
      "For your safety nothing was decided. Open the link from your e-mail again and decide on that page.",
    ]);
  }
  const decision = form.get("decision");
  if (decision !== "approve" && decision !== "reject") {
    return messagePage(400, "Choose Approve or Reject", [
      "Nothing was decided. Open the link again and press a button.",
    ]);
  }
  const pause = await pendingPause(context, link);
  if (pause instanceof Response) return pause;

  const presetField = form.get("preset") ?? "";
  const preset = (PRESET_REJECT_REASONS as readonly string[]).includes(presetField) ? presetField : "";
  const written = (form.get("reason") ?? "").trim();
  const reason = [preset, written].filter((part) => part !== "").join(": ");
  const again = (error: string) =>
    confirmationPage(
      pause,
      {
        action: context.path,
        token,
        csrf: csrfTokenFor(context.secret, link.token_id),
        claims: link,
        decision,
        preset,
        reason: written,
        error,
      },
      422,
    );
  if (decision === "reject" && reason === "")
    return again("Give a reason to reject: pick one or write your own.");
  if (reason.length > MAX_REASON_LENGTH)
    return again(`Keep the reason under ${MAX_REASON_LENGTH} characters.`);

  const expiresAt = new Date(link.expires_at * 1000).toISOString();
  if (!(await context.consumeToken(link.token_id, expiresAt))) {
    return messagePage(410, "This link has already been used", [
      "Each e-mail decides once. Nothing more was changed. Open the Countersign inbox to see where this request stands.",
    ]);
  }
  try {
    const decided = await context.service.decide(
      link.pause_id,
      { decision, ...(reason !== "" && { reason }) },
      { identity: link.identity, channel: "email" },
    );
    return decidedPage(decided, link.identity);
  } catch (error) {
    if (isCountersignError(error, "already_decided")) {
      const now = await context.service.getPause(link.pause_id);
      if (now) return closedPage(now);
    }
    if (isCountersignError(error, "forbidden")) {
      return messagePage(403, "You may not decide this request", [error.message, "Nothing was decided."]);
    }
    if (isCountersignError(error, "not_found")) return notFound();
    // The link is spent but nothing was decided (e.g. the store went away): say where to decide now.
    context.log.error("e-mail decision failed", {
      pause_id: link.pause_id,
      error: error instanceof Error ? error.message : String(error),
    });
    return messagePage(503, "Nothing was decided", [
      "Countersign could not record your decision just now, and this link cannot be used again. Decide in the Countersign inbox instead.",
    ]);
  }
}

/** The link's claims, or the page that refuses it: tampered (400), expired (410). */
function checkLink(context: DecisionRouteContext, token: string): LinkClaims | Response {
  const reading = readLinkToken(context.secret, token);
  if (!reading.ok) {
    return messagePage(400, "This link is not valid", [
      "It may have been cut short or changed when it was copied. Nothing was decided. Open the link straight from the e-mail, or decide in the Countersign inbox.",
    ]);
  }
  if (context.now().getTime() >= reading.claims.expires_at * 1000) {
    return messagePage(410, "This link has expired", [
      "Decision links work for a limited time. Nothing was decided. If the request is still open, decide it in the Countersign inbox.",
    ]);
  }
  return reading.claims;
}

async function pendingPause(context: DecisionRouteContext, link: LinkClaims): Promise<Pause | Response> {
  const pause = await context.service.getPause(link.pause_id);
  if (!pause) return notFound();
  if (pause.status !== "pending") return closedPage(pause);
  return pause;
}

function notFound(): Response {
  return messagePage(404, "This request no longer exists", ["Nothing was decided."]);
}

async function readForm(request: Request): Promise<URLSearchParams | Response> {
  const type = request.headers.get("content-type") ?? "";
  if (!type.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
    return messagePage(415, "Send the form from the page", [
      "Nothing was decided. Open the link from your e-mail again.",
    ]);
  }
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_FORM_BYTES) return tooLarge();
  const body = await readBounded(request, MAX_FORM_BYTES);
  return body === null ? tooLarge() : new URLSearchParams(body);
}

/** The body as text, or null past `limit` bytes (read no further: a chunked body declares no length). */
async function readBounded(request: Request, limit: number): Promise<string | null> {
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function tooLarge(): Response {
  return messagePage(413, "That was too much text", [
    "Nothing was decided. Keep the reason shorter and try again.",
  ]);
}
