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
const ALICE_OID = "8d6c1f0e-3b1a-4c55-9a8e-2f4b7c9d0e11";

describe("Teams accounts of identities", () => {
  it("stores the Entra object id in lower case and finds the identity by it", async () => {
    const created = await call(t, "PUT", path("alice@example.com"), {
      key: t.adminKey,
      body: { email: "alice@example.com", teams_user_id: ALICE_OID.toUpperCase() },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ identity: "alice@example.com", teams_user_id: ALICE_OID });
    expect((await t.store.findIdentityByTeamsUser(ALICE_OID))?.identity).toBe("alice@example.com");
    const cleared = await call(t, "PUT", path("alice@example.com"), { key: t.adminKey, body: {} });
    expect(cleared.body).toMatchObject({ teams_user_id: null });
    expect(await t.store.findIdentityByTeamsUser(ALICE_OID)).toBeNull();
  });

  it("refuses a Teams account already mapped to someone else, and a malformed one by name", async () => {
    await call(t, "PUT", path("bob@example.com"), { key: t.adminKey, body: { teams_user_id: ALICE_OID } });
    const taken = await call(t, "PUT", path("eve@example.com"), {
      key: t.adminKey,
      body: { teams_user_id: ALICE_OID.toUpperCase() },
    });
    expect(taken.status).toBe(400);
    expect(taken.body.detail).toBe(`Teams user ${ALICE_OID} already belongs to bob@example.com`);
    expect(await t.store.getIdentity("eve@example.com")).toBeNull();
    const malformed = await call(t, "PUT", path("eve@example.com"), {
      key: t.adminKey,
      body: { teams_user_id: "29:1a2b3c" },
    });
    expect(malformed.status).toBe(400);
    expect(String(malformed.body.detail)).toMatch(/teams_user_id/);
  });
});
