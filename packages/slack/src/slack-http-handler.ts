import type { InteractionHandler } from "./interaction-handler.ts";
import { verifySlackSignature } from "./slack-signature.ts";

/** Slack's own payloads are far smaller; anything bigger is not from Slack. */
export const SLACK_MAX_BODY_BYTES = 1024 * 1024;

export interface SlackHttpOptions {
  signingSecret: string;
  interactions: InteractionHandler;
  /** Receives the work that follows each acknowledgement (for `whenIdle`). */
  track: (work: Promise<void>) => void;
  nowSeconds?: () => number;
}

/**
 * The Events and Interactivity Request URL as a web-standard handler: checks
 * Slack's signature over the raw body (401 and nothing else on failure),
 * answers the URL check, and hands interactions to the shared handler,
 * replying at once and doing the rest after the reply.
 */
export function createSlackHttpHandler(options: SlackHttpOptions): (request: Request) => Promise<Response> {
  return async (request) => {
    const declaredLength = Number(request.headers.get("content-length") ?? "0");
    if (declaredLength > SLACK_MAX_BODY_BYTES)
      return problem(413, "payload_too_large", "Request body too large");
    const bytes = new Uint8Array(await request.arrayBuffer());
    if (bytes.byteLength > SLACK_MAX_BODY_BYTES)
      return problem(413, "payload_too_large", "Request body too large");
    const body = new TextDecoder().decode(bytes);
    const verified = verifySlackSignature({
      signingSecret: options.signingSecret,
      timestamp: request.headers.get("x-slack-request-timestamp"),
      signature: request.headers.get("x-slack-signature"),
      body,
      ...(options.nowSeconds && { nowSeconds: options.nowSeconds() }),
    });
    if (!verified) return problem(401, "unauthorized", "Invalid or stale Slack request signature");

    let parsed: unknown;
    try {
      parsed = parseBody(request.headers.get("content-type") ?? "", body);
    } catch {
      return problem(400, "invalid_request", "Malformed Slack request body");
    }
    if (isUrlVerification(parsed)) return Response.json({ challenge: parsed.challenge });
    if (!isInteraction(parsed)) return new Response(null, { status: 200 }); // events this app does not use

    let outcome: ReturnType<InteractionHandler["handle"]>;
    try {
      outcome = options.interactions.handle(parsed.payload);
    } catch {
      return problem(400, "invalid_request", "Malformed Slack interaction payload");
    }
    if (outcome.work) options.track(outcome.work);
    return outcome.response ? Response.json(outcome.response) : new Response(null, { status: 200 });
  };
}

/** Interactions arrive as a form with a JSON `payload` field; events as JSON. */
function parseBody(contentType: string, body: string): unknown {
  if (contentType.includes("application/x-www-form-urlencoded")) {
    const payload = new URLSearchParams(body).get("payload");
    return payload === null ? {} : { interaction: true, payload: JSON.parse(payload) as unknown };
  }
  return JSON.parse(body) as unknown;
}

function isUrlVerification(body: unknown): body is { type: "url_verification"; challenge: string } {
  const candidate = body as { type?: unknown; challenge?: unknown } | null;
  return candidate?.type === "url_verification" && typeof candidate.challenge === "string";
}

function isInteraction(body: unknown): body is { interaction: true; payload: unknown } {
  return (body as { interaction?: unknown } | null)?.interaction === true;
}

function problem(status: number, code: string, detail: string): Response {
  return new Response(JSON.stringify({ type: "about:blank", title: detail, status, detail, code }), {
    status,
    headers: { "content-type": "application/problem+json" },
  });
}
