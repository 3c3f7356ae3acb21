import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type InboxServer, startInboxServer } from "../test-support/inbox-http.ts";

let server: InboxServer;
beforeAll(async () => {
  server = await startInboxServer({ sendSignInLink: async () => {} });
});
afterAll(() => server.close());

const CHANGING = [
  "/inbox/api/session",
  "/inbox/api/session/link",
  "/inbox/api/session/link-request",
  "/inbox/api/session/sign-out",
];

describe("the inbox's route family", () => {
  it.each(CHANGING)("refuses POST %s from another site before reading its body", async (path) => {
    const response = await server.request(path, {
      method: "POST",
      origin: "https://evil.example",
      body: "{ not json",
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({
      code: "forbidden",
      detail: "Requests from https://evil.example may not change anything in the inbox",
    });
  });

  it("parses a same-site body with the route's schema: a 400 naming the field", async () => {
    const response = await server.request("/inbox/api/session", {
      method: "POST",
      body: JSON.stringify({ api_key: "csk_x", remember: true }),
    });
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toContain("remember");
  });

  it("answers unknown API paths with problem details, not the page", async () => {
    const response = await server.request("/inbox/api/nope");
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
  });

  it("answers every inbox request with its request id, errors too", async () => {
    const session = await server.signIn(server.t.approverKey);
    const response = await server.request("/inbox/api/pauses/pau_unknown", { session });
    expect(response.status).toBe(404);
    expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});
