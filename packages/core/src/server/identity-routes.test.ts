import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../testing/test-server.ts";
import { call } from "./server-test-helpers.ts";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.close();
});

const path = (identity: string) => `/v1/identities/${encodeURIComponent(identity)}`;

describe("approver identities API", () => {
  it("creates, reads, lists, replaces and deletes an identity", async () => {
    const created = await call(t, "PUT", path("alice@example.com"), {
      key: t.adminKey,
      body: {
        email: "alice@example.com",
        slack_user_id: "U012ABCDEF",
        display_name: "Alice",
        groups: ["finance", "eng", "finance"],
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      object: "identity",
      identity: "alice@example.com",
      slack_user_id: "U012ABCDEF",
      display_name: "Alice",
      groups: ["eng", "finance"],
    });
    expect((await call(t, "GET", path("alice@example.com"), { key: t.adminKey })).body).toEqual(created.body);
    const replaced = await call(t, "PUT", path("alice@example.com"), {
      key: t.adminKey,
      body: { groups: ["ops"] },
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({
      email: null,
      slack_user_id: null,
      groups: ["ops"],
      created_at: created.body.created_at,
    });
    const list = await call(t, "GET", "/v1/identities", { key: t.adminKey });
    expect((list.body.data as { identity: string }[]).map((entry) => entry.identity)).toEqual([
      "alice@example.com",
    ]);
    expect((await call(t, "DELETE", path("alice@example.com"), { key: t.adminKey })).status).toBe(204);
    expect((await call(t, "GET", path("alice@example.com"), { key: t.adminKey })).status).toBe(404);
    expect((await call(t, "DELETE", path("alice@example.com"), { key: t.adminKey })).status).toBe(404);
  });

  it("is for admins only", async () => {
    for (const key of [t.approverKey, t.agentKey]) {
      expect((await call(t, "GET", "/v1/identities", { key })).status).toBe(403);
      expect(
        (await call(t, "PUT", path("mallory@example.com"), { key, body: { groups: ["finance"] } })).status,
      ).toBe(403);
    }
    expect((await call(t, "GET", "/v1/identities", { key: null })).status).toBe(401);
  });

  it("refuses a Slack user already mapped to someone else, and malformed fields by name", async () => {
    await call(t, "PUT", path("bob@example.com"), { key: t.adminKey, body: { slack_user_id: "U0BOB" } });
    const taken = await call(t, "PUT", path("eve@example.com"), {
      key: t.adminKey,
      body: { slack_user_id: "U0BOB" },
    });
    expect(taken.status).toBe(400);
    expect(taken.body.detail).toContain("already belongs to bob@example.com");
    const bad = await call(t, "PUT", path("eve@example.com"), {
      key: t.adminKey,
      body: { email: "not-an-email", groups: ["has space"], role: "admin" },
    });
    expect(bad.status).toBe(400);
    expect(String(bad.body.detail)).toMatch(/email/);
    expect(String(bad.body.detail)).toMatch(/groups\.0/);
    expect(String(bad.body.detail)).toMatch(/role/);
  });
});
