import type { HttpRouteHandler, IHttpServerAdapter } from "@microsoft/teams.apps";

/** Teams activities (an invoke with the card's inputs) are a few KB; anything this big is not from Teams. */
export const TEAMS_MAX_BODY_BYTES = 256 * 1024;

/**
 * The seam between the Teams SDK and the approval server: the SDK registers
 * its messaging route here (its `HttpServer` validates the token and runs the
 * app), and the server's Web-standard route hands requests to it. The SDK's
 * own Express server is never started.
 */
export function createFetchAdapter(): IHttpServerAdapter & {
  handler(path: string): HttpRouteHandler | null;
} {
  const routes = new Map<string, HttpRouteHandler>();
  return {
    registerRoute(method, path, handler) {
      if (method !== "POST") throw new Error(`The Teams channel serves POST only, not ${method}`);
      routes.set(path, handler);
    },
    handler: (path) => routes.get(path) ?? null,
  };
}

export interface MessagingEndpointOptions {
  /** The SDK's handler for the messaging endpoint (initializes the app on first use). */
  handler: () => Promise<HttpRouteHandler>;
  /** The Bot Framework token issuer (`https://api.botframework.com` in the public cloud). */
  tokenIssuer: string;
}

/**
 * `POST /teams/messages` as a Web-standard handler. Reads a bounded JSON
 * body and lets the Teams SDK authenticate it (Bot Framework JWT: signature
 * from the OpenID metadata's keys, issuer, audience = the app id, expiry,
 * and the `serviceurl` claim against the activity). Tokens from any other
 * issuer are refused before that: the SDK would also take Entra tokens for
 * agentic identities, which this app does not use.
 */
export function createMessagingEndpoint(options: MessagingEndpointOptions) {
  return async (request: Request): Promise<Response> => {
    const declaredLength = Number(request.headers.get("content-length") ?? "0");
    if (declaredLength > TEAMS_MAX_BODY_BYTES)
      return problem(413, "payload_too_large", "Request body too large");
    const bytes = new Uint8Array(await request.arrayBuffer());
    if (bytes.byteLength > TEAMS_MAX_BODY_BYTES)
      return problem(413, "payload_too_large", "Request body too large");
    const authorization = request.headers.get("authorization") ?? "";
    if (issuerOf(authorization) !== options.tokenIssuer) {
      return problem(401, "unauthorized", "A Bot Framework token is required");
    }
    let body: unknown;
    try {
      body = JSON.parse(new TextDecoder().decode(bytes));
    } catch {
      return problem(400, "invalid_request", "The activity is not valid JSON");
    }
    if (body === null || typeof body !== "object" || Array.isArray(body)) {
      return problem(400, "invalid_request", "The activity must be a JSON object");
    }
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      headers[name] = value;
    });
    const handle = await options.handler();
    const response = await handle({ body, headers });
    if (response.status === 401) return problem(401, "unauthorized", "Invalid Bot Framework token");
    if (response.status >= 500) return problem(response.status, "internal_error", "The activity failed");
    if (response.body === undefined || response.body === null)
      return new Response(null, { status: response.status });
    return Response.json(response.body, { status: response.status });
  };
}

/** The `iss` claim, read without trusting it: only to route, the SDK verifies everything. */
function issuerOf(authorization: string): string | null {
  const match = /^Bearer ([\w-]+)\.([\w-]+)\.([\w-]*)$/.exec(authorization.trim());
  if (!match?.[2]) return null;
  try {
    const payload = JSON.parse(Buffer.from(match[2], "base64url").toString("utf8")) as { iss?: unknown };
    return typeof payload.iss === "string" ? payload.iss : null;
  } catch {
    return null;
  }
}

function problem(status: number, code: string, detail: string): Response {
  return new Response(JSON.stringify({ type: "about:blank", title: detail, status, detail, code }), {
    status,
    headers: { "content-type": "application/problem+json" },
  });
}
