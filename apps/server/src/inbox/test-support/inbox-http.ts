import { silentLogger } from "@countersign/core/server";
import { startTestServer, type TestServer, type TestServerOptions } from "@countersign/core/testing";
import type { InboxOptions } from "../inbox-options.ts";
import { type MountedInbox, mountInbox } from "../mount-inbox.ts";

/** A signed-in browser, as far as HTTP goes: its cookie and CSRF token. */
export interface ApiSession {
  cookie: string;
  csrf: string;
  setCookie: string;
  body: Record<string, unknown>;
}

export interface InboxServer {
  t: TestServer;
  inbox: MountedInbox;
  /** `fetch` against the server with the browser-like headers a same-origin page sends. */
  request(
    path: string,
    init?: RequestInit & { session?: ApiSession; origin?: string | null },
  ): Promise<Response>;
  signIn(apiKey: string): Promise<ApiSession>;
  close(): Promise<void>;
}

export async function startInboxServer(
  inboxOptions: Partial<InboxOptions> = {},
  serverOptions: TestServerOptions = {},
): Promise<InboxServer> {
  const t = await startTestServer(serverOptions);
  const inbox = await mountInbox(t.server, { store: t.store, log: silentLogger, ...inboxOptions });
  const request: InboxServer["request"] = (path, init = {}) => {
    const { session, origin, ...rest } = init;
    const headers = new Headers(rest.headers);
    if (session) {
      headers.set("cookie", session.cookie);
      headers.set("x-csrf-token", session.csrf);
    }
    const sendOrigin = origin === undefined ? t.url : origin;
    if (sendOrigin !== null && (rest.method ?? "GET") !== "GET") headers.set("origin", sendOrigin);
    if (rest.body !== undefined) headers.set("content-type", "application/json");
    return fetch(`${t.url}${path}`, { ...rest, headers });
  };
  return {
    t,
    inbox,
    request,
    async signIn(apiKey) {
      const response = await request("/inbox/api/session", {
        method: "POST",
        body: JSON.stringify({ api_key: apiKey }),
      });
      if (response.status !== 200)
        throw new Error(`sign-in failed: ${response.status} ${await response.text()}`);
      const setCookie = response.headers.get("set-cookie") ?? "";
      const body = (await response.json()) as Record<string, unknown>;
      return { cookie: setCookie.split(";")[0]!, csrf: String(body.csrf_token), setCookie, body };
    },
    close: () => t.close(),
  };
}
