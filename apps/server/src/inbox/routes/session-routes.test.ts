import { hashApiKey } from "@countersign/core/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { SignInLinkMessage } from "../inbox-options.ts";
import { type InboxServer, startInboxServer } from "../test-support/inbox-http.ts";

let server: InboxServer;
let clock = Date.now();
const sent: SignInLinkMessage[] = [];

beforeAll(async () => {
  server = await startInboxServer({
    now: () => new Date(clock),
    sendSignInLink: async (message) => {
      sent.push(message);
    },
  });
});
afterAll(() => server.close());

describe("signing in with an API key", () => {
  it("sets an httpOnly, SameSite=Strict session cookie and reports who is signed in", async () => {
    const session = await server.signIn(server.t.approverKey);
    expect(session.setCookie).toMatch(/^countersign_session=[^;]+/);
    expect(session.setCookie).toContain("HttpOnly");
    expect(session.setCookie).toContain("SameSite=Strict");
    expect(session.setCookie).toContain("Path=/");
    expect(session.setCookie).toContain(`Max-Age=${12 * 60 * 60}`);
    expect(session.setCookie).not.toContain("Secure");
    expect(session.body).toMatchObject({ identity: "alice@example.com", role: "approver", via: "api_key" });

    const me = await server.request("/inbox/api/session", { session });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ identity: "alice@example.com", csrf_token: session.csrf });
  });

  it("signs an admin key in as an admin", async () => {
    const session = await server.signIn(server.t.adminKey);
    expect(session.body).toMatchObject({ identity: "admin@example.com", role: "admin" });
  });

  it("refuses agent keys, unknown keys and keys without an identity", async () => {
    const post = (apiKey: string) =>
      server.request("/inbox/api/session", { method: "POST", body: JSON.stringify({ api_key: apiKey }) });
    const agent = await post(server.t.agentKey);
    expect(agent.status).toBe(403);
    expect((await agent.json()).detail).toMatch(/agent keys cannot sign in/);
    const executor = await post(server.t.executorKey);
    expect(executor.status).toBe(403);
    expect((await executor.json()).detail).toMatch(/executor keys cannot sign in/);
    expect((await post("csk_approver_not-a-real-key")).status).toBe(401);
    // Keys made before every key named its holder can still exist: they cannot sign in.
    const anonymousKey = "csk_approver_made-before-keys-named-a-holder-0000";
    await server.t.store.createApiKey({
      keyId: "key_anonymous",
      hash: hashApiKey(anonymousKey),
      role: "approver",
      identity: null,
      name: null,
      agentIds: null,
      actionTypes: null,
      createdAt: new Date().toISOString(),
      revokedAt: null,
    });
    expect((await post(anonymousKey)).status).toBe(403);
  });

  it("refuses a sign-in posted from another site", async () => {
    const response = await server.request("/inbox/api/session", {
      method: "POST",
      origin: "https://evil.example",
      body: JSON.stringify({ api_key: server.t.approverKey }),
    });
    expect(response.status).toBe(403);
    expect(response.headers.get("set-cookie")).toBeNull();
  });

  it("ends the session at once when its key is revoked", async () => {
    const { key, record } = await server.t.server.issueApiKey({
      role: "approver",
      identity: "carol@example.com",
    });
    const session = await server.signIn(key);
    expect((await server.request("/inbox/api/pauses", { session })).status).toBe(200);
    await server.t.store.revokeApiKey(record.keyId, new Date().toISOString());
    const after = await server.request("/inbox/api/pauses", { session });
    expect(after.status).toBe(401);
    expect((await after.json()).detail).toMatch(/revoked/);
  });

  it("does not accept a cookie that was tampered with or has expired", async () => {
    const session = await server.signIn(server.t.approverKey);
    const [name, token] = session.cookie.split("=") as [string, string];
    const flipped = `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`;
    const tampered = { ...session, cookie: `${name}=${flipped}` };
    expect((await server.request("/inbox/api/session", { session: tampered })).status).toBe(401);

    clock += 12 * 60 * 60 * 1000 + 1000;
    try {
      expect((await server.request("/inbox/api/session", { session })).status).toBe(401);
    } finally {
      clock = Date.now();
    }
  });

  it("signs out by clearing the cookie", async () => {
    const response = await server.request("/inbox/api/session/sign-out", { method: "POST", body: "{}" });
    expect(response.status).toBe(200);
    expect(response.headers.get("set-cookie")).toMatch(/^countersign_session=; .*Max-Age=0/);
  });

  it("ends the session itself at sign-out: a copy of the cookie no longer works", async () => {
    const session = await server.signIn(server.t.approverKey);
    const signOut = await server.request("/inbox/api/session/sign-out", {
      method: "POST",
      body: "{}",
      session,
    });
    expect(signOut.status).toBe(200);
    const reused = await server.request("/inbox/api/session", { session });
    expect(reused.status).toBe(401);
    expect((await reused.json()).detail).toMatch(/signed out/);
  });

  it("closes the inbox's live stream within 5 s when the key behind the session is revoked", async () => {
    const key = await server.t.server.issueApiKey({ role: "approver", identity: "frank@example.com" });
    const session = await server.signIn(key.key);
    const response = await server.request("/inbox/api/events", { session });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = decoder.decode((await reader.read()).value);
    expect(text).toContain("event: ready");
    await server.t.store.revokeApiKey(key.record.keyId, new Date().toISOString());
    const revokedAt = Date.now();
    for (;;) {
      const chunk = await reader.read();
      if (chunk.done) break;
      text += decoder.decode(chunk.value);
    }
    expect(Date.now() - revokedAt).toBeLessThan(5_000);
    expect(text).toContain("event: session-ended");
  });

  it("ends a session at once when the key it signed in with is revoked", async () => {
    const key = await server.t.server.issueApiKey({ role: "approver", identity: "erin@example.com" });
    const session = await server.signIn(key.key);
    expect((await server.request("/inbox/api/session", { session })).status).toBe(200);
    await server.t.store.revokeApiKey(key.record.keyId, new Date().toISOString());
    const after = await server.request("/inbox/api/pauses", { session });
    expect(after.status).toBe(401);
    expect((await after.json()).detail).toMatch(/revoked/);
  });
});

describe("one-time sign-in links", () => {
  const redeem = (token: string) =>
    server.request("/inbox/api/session/link", { method: "POST", body: JSON.stringify({ token }) });
  const tokenOf = (url: string) => new URL(url).hash.replace("#token=", "");

  it("e-mails a link to a known approver that signs in once, then never again", async () => {
    sent.length = 0;
    const response = await server.request("/inbox/api/session/link-request", {
      method: "POST",
      body: JSON.stringify({ email: "Bob@Example.com" }),
    });
    expect(response.status).toBe(202);
    await vi.waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toMatchObject({ identity: "bob@example.com", email: "bob@example.com" });
    // The token rides in the fragment: it never reaches a server log or a Referer header.
    expect(sent[0]!.url).toMatch(new RegExp(`^${server.t.url}/inbox/sign-in/link#token=`));

    const first = await redeem(tokenOf(sent[0]!.url));
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ identity: "bob@example.com", role: "approver", via: "link" });
    expect(first.headers.get("set-cookie")).toContain("HttpOnly");

    const second = await redeem(tokenOf(sent[0]!.url));
    expect(second.status).toBe(401);
    expect((await second.json()).detail).toMatch(/already used/);
  });

  it("answers the same for an unknown address and sends nothing", async () => {
    sent.length = 0;
    const response = await server.request("/inbox/api/session/link-request", {
      method: "POST",
      body: JSON.stringify({ email: "stranger@example.com" }),
    });
    expect(response.status).toBe(202);
    expect((await response.json()).message).toMatch(/If that address belongs to an approver/);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(sent).toHaveLength(0);
  });

  it("answers before it looks the address up, so a known address takes no longer than an unknown one", async () => {
    // A mailer that never finishes: had the reply waited for it (or for the lookup), it would never come.
    const stuck = await startInboxServer({ sendSignInLink: () => new Promise<void>(() => {}) });
    try {
      for (const email of ["alice@example.com", "nobody@example.com"]) {
        const response = await stuck.request("/inbox/api/session/link-request", {
          method: "POST",
          body: JSON.stringify({ email }),
          signal: AbortSignal.timeout(5_000),
        });
        expect(response.status).toBe(202);
      }
    } finally {
      await stuck.close();
    }
  });

  it("refuses an expired link and a forged one", async () => {
    const link = server.inbox.createSignInLink("alice@example.com");
    clock += 16 * 60 * 1000;
    try {
      const expired = await redeem(tokenOf(link.url));
      expect(expired.status).toBe(401);
      expect((await expired.json()).detail).toMatch(/expired/);
    } finally {
      clock = Date.now();
    }
    const genuine = tokenOf(server.inbox.createSignInLink("alice@example.com").url);
    const [payload, mac] = genuine.split(".") as [string, string];
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    const forged = `${Buffer.from(JSON.stringify({ ...claims, identity: "admin@example.com" })).toString("base64url")}.${mac}`;
    expect((await redeem(forged)).status).toBe(401);
  });

  it("drops a link session's admin role, then the session, when the admin key behind it is revoked", async () => {
    const admin = await server.t.server.issueApiKey({ role: "admin", identity: "root@example.com" });
    const response = await redeem(tokenOf(server.inbox.createSignInLink("root@example.com").url));
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ identity: "root@example.com", role: "admin", via: "link" });
    const session = {
      cookie: response.headers.get("set-cookie")!.split(";")[0]!,
      csrf: String(body.csrf_token),
      setCookie: "",
      body,
    };
    expect((await server.request("/inbox/api/audit", { session })).status).toBe(200);
    await server.t.store.revokeApiKey(admin.record.keyId, new Date().toISOString());
    const audit = await server.request("/inbox/api/audit", { session });
    expect(audit.status).toBe(401);
    // An approver identity keeps them signed in, as an approver only.
    const at = new Date().toISOString();
    const again = await server.t.server.issueApiKey({ role: "admin", identity: "root@example.com" });
    const relink = await redeem(tokenOf(server.inbox.createSignInLink("root@example.com").url));
    const second = {
      cookie: relink.headers.get("set-cookie")!.split(";")[0]!,
      csrf: "",
      setCookie: "",
      body: {},
    };
    await server.t.store.putIdentity({
      identity: "root@example.com",
      email: "root@example.com",
      slackUserId: null,
      displayName: null,
      groups: [],
      createdAt: at,
      updatedAt: at,
    });
    await server.t.store.revokeApiKey(again.record.keyId, new Date().toISOString());
    expect((await server.request("/inbox/api/audit", { session: second })).status).toBe(403);
    expect(await (await server.request("/inbox/api/session", { session: second })).json()).toMatchObject({
      role: "approver",
    });
  });

  it("signs an admin in as admin and opens the page the link names", async () => {
    const link = server.inbox.createSignInLink("admin@example.com", { next: "/inbox/audit" });
    const response = await redeem(tokenOf(link.url));
    expect(await response.json()).toMatchObject({
      identity: "admin@example.com",
      role: "admin",
      next: "/inbox/audit",
    });
    const offsite = server.inbox.createSignInLink("alice@example.com", { next: "//evil.example/x" });
    expect(await (await redeem(tokenOf(offsite.url))).json()).toMatchObject({ next: null });
  });

  it("offers no e-mail sign-in, and promises no link, when nothing sends e-mail", async () => {
    const quiet = await startInboxServer();
    try {
      const options = await quiet.request("/inbox/api/sign-in-options");
      expect(await options.json()).toMatchObject({ api_key: true, email_link: false });
      const response = await quiet.request("/inbox/api/session/link-request", {
        method: "POST",
        body: JSON.stringify({ email: "alice@example.com" }),
      });
      expect(response.status).toBe(404);
      expect((await response.json()).detail).toMatch(/E-mail sign-in is not configured/);
      expect(await (await server.request("/inbox/api/sign-in-options")).json()).toMatchObject({
        email_link: true,
      });
    } finally {
      await quiet.close();
    }
  });
});

describe("over HTTPS", () => {
  it("marks the cookie Secure with the __Host- prefix", async () => {
    const secure = await startInboxServer();
    const { url } = secure.t;
    secure.t.server.baseUrl = "https://inbox.example.com";
    try {
      const response = await fetch(`${url}/inbox/api/session`, {
        method: "POST",
        headers: { origin: "https://inbox.example.com", "content-type": "application/json" },
        body: JSON.stringify({ api_key: secure.t.approverKey }),
      });
      expect(response.status).toBe(200);
      const cookie = response.headers.get("set-cookie")!;
      expect(cookie).toMatch(/^__Host-countersign_session=/);
      expect(cookie).toContain("Secure");
    } finally {
      await secure.close();
    }
  });
});
