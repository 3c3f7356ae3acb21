import nock from "nock";

/** One Bot Connector call the channel made, as the Bot Connector would receive it. */
export interface ConnectorCall {
  method: string;
  /** Path on the service URL host, e.g. `/emea/v3/conversations/19%3A…/activities`. */
  path: string;
  authorization: string | null;
  body: Record<string, unknown> | null;
}

/** One token request to Microsoft Entra, with its form fields. */
export interface TokenRequest {
  path: string;
  form: Record<string, string>;
}

export const BOT_CONNECTOR_HOST = "https://smba.trafficmanager.net";
export const LOGIN_HOST = "https://login.microsoftonline.com";

/**
 * Microsoft's Bot Connector and Entra's token endpoint, which cannot be
 * reached here, intercepted with nock (loopback stays open for the real
 * server and the local token issuer). Records every call with its exact body.
 * Posting a card answers with a fresh activity id; a conversation listed in
 * `failingConversations` answers 403 as for an app that is not installed there.
 */
export function interceptBotConnector(
  options: {
    failingConversations?: readonly string[];
    /** Holds every card post until it resolves. */
    postGate?: Promise<void>;
    /** Members returned by the roster lookup, by Teams user id. */
    members?: Record<string, { userPrincipalName: string; email: string }>;
    tokenStatus?: number;
    /** Every card update fails with this status. */
    updateStatus?: number;
  } = {},
) {
  const calls: ConnectorCall[] = [];
  const tokenRequests: TokenRequest[] = [];
  let activityCount = 0;
  let tokenCount = 0;
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1/);

  // nock 15 hands the reply function the fetch Request.
  const connector = async (request: Request): Promise<[number, Record<string, unknown>]> => {
    const url = new URL(request.url);
    const text = await request.text();
    calls.push({
      method: request.method,
      path: url.pathname,
      authorization: request.headers.get("authorization"),
      body: text ? (JSON.parse(text) as Record<string, unknown>) : null,
    });
    const conversation = decodeURIComponent(/\/v3\/conversations\/([^/]+)/.exec(url.pathname)?.[1] ?? "");
    if (request.method === "POST" && url.pathname.endsWith("/activities")) {
      await options.postGate;
      if (options.failingConversations?.includes(conversation)) {
        return [
          403,
          {
            error: {
              code: "BotNotInConversationRoster",
              message: "The bot is not part of the conversation roster.",
            },
          },
        ];
      }
      activityCount += 1;
      return [201, { id: `17952552000${String(activityCount).padStart(2, "0")}` }];
    }
    if (request.method === "PUT") {
      if (options.updateStatus) return [options.updateStatus, { error: { code: "ServiceError" } }];
      return [200, { id: url.pathname.split("/").pop() }];
    }
    if (request.method === "GET" && url.pathname.includes("/members/")) {
      const userId = decodeURIComponent(url.pathname.split("/").pop() ?? "");
      const member = options.members?.[userId];
      return member ? [200, { id: userId, ...member }] : [404, { error: { code: "NotFound" } }];
    }
    return [404, {}];
  };
  nock(BOT_CONNECTOR_HOST).persist().post(/.*/).reply(connector);
  nock(BOT_CONNECTOR_HOST).persist().put(/.*/).reply(connector);
  nock(BOT_CONNECTOR_HOST).persist().get(/.*/).reply(connector);

  nock(LOGIN_HOST)
    .persist()
    .post(/\/oauth2\/v2\.0\/token(\?.*)?$/)
    .reply(async (request: Request) => {
      const form = Object.fromEntries(new URLSearchParams(await request.text()));
      tokenRequests.push({ path: new URL(request.url).pathname, form });
      if (options.tokenStatus && options.tokenStatus !== 200) {
        return [
          options.tokenStatus,
          { error: "invalid_client", error_description: "AADSTS7000215: Invalid client secret provided." },
        ];
      }
      tokenCount += 1;
      return [
        200,
        { token_type: "Bearer", expires_in: 3599, ext_expires_in: 3599, access_token: botToken(tokenCount) },
      ];
    });

  return {
    calls,
    tokenRequests,
    /** Calls of one kind, in order: `post` (new card), `update` (card in place), `member`. */
    posts: () => calls.filter((call) => call.method === "POST"),
    updates: () => calls.filter((call) => call.method === "PUT"),
    reset: () => {
      calls.length = 0;
      tokenRequests.length = 0;
    },
    done: () => {
      nock.cleanAll();
      nock.enableNetConnect();
    },
  };
}

export type BotConnectorApi = ReturnType<typeof interceptBotConnector>;

/** The access token Entra "issues" the app (a JWT shape, so redaction is tested on something realistic). */
export function botToken(count: number): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${part({ alg: "RS256", typ: "JWT" })}.${part({ aud: "https://api.botframework.com", n: count })}.c2lnbmF0dXJl`;
}

/** The path of a conversation's activities on a service URL. */
export function activitiesPath(servicePath: string, conversationId: string, activityId?: string): string {
  // The SDK puts the id in the path as it is (":" and "@" are valid path characters).
  const base = `${servicePath}v3/conversations/${conversationId}/activities`;
  return activityId ? `${base}/${activityId}` : base;
}
