import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sqliteStore } from "@countersign/core/server";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { channelsFromEnv } from "./channels-from-env.ts";
import { teamsApproversFromStore, teamsChannelFromEnv } from "./teams-from-env.ts";
import { startServe, stop } from "./test-support/cli-process.ts";

const TEAMS_ENV = {
  COUNTERSIGN_TEAMS_APP_ID: "3f6b8c2e-91d4-4a7e-b5c0-6d2e8f1a4b97",
  COUNTERSIGN_TEAMS_TENANT_ID: "72f988bf-86f1-41af-91ab-2d7cd011db47",
  COUNTERSIGN_TEAMS_APP_PASSWORD: "app-password-from-the-registration",
  COUNTERSIGN_TEAMS_TARGETS: JSON.stringify({
    "finance-approvals": {
      conversation_id: "19:f1nance0approvals@thread.tacv2",
      service_url: "https://smba.trafficmanager.net/emea/",
    },
  }),
};
const ALICE_OID = "0b2a7c55-1f3e-4d6a-9c8b-7e5f4a3d2c1b";
/** The Teams package's test-only certificate and key (one PEM file). */
const TEST_PEM = new URL("../../../packages/teams/src/test-support/test-certificate.pem", import.meta.url);

let dir: string;
let store: ReturnType<typeof sqliteStore>;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "countersign-teams-env-"));
  store = sqliteStore(join(dir, "countersign.db"));
  await store.migrate();
});
afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

describe("the Teams channel from the environment", () => {
  it("is off without COUNTERSIGN_TEAMS_APP_ID and on with the app's settings", async () => {
    expect(await teamsChannelFromEnv(store, {})).toBeNull();
    const channels = await channelsFromEnv(store, TEAMS_ENV);
    expect(channels.map((channel) => channel.channel)).toEqual(["teams"]);
    const teams = await teamsChannelFromEnv(store, TEAMS_ENV);
    expect(teams?.allowedTargets()).toEqual(["finance-approvals"]);
  });

  it("names the setting that is missing or wrong", async () => {
    const without = (name: keyof typeof TEAMS_ENV) => {
      const env: Record<string, string> = { ...TEAMS_ENV };
      delete env[name];
      return env;
    };
    await expect(teamsChannelFromEnv(store, without("COUNTERSIGN_TEAMS_TENANT_ID"))).rejects.toThrow(
      "COUNTERSIGN_TEAMS_TENANT_ID is required",
    );
    await expect(teamsChannelFromEnv(store, without("COUNTERSIGN_TEAMS_TARGETS"))).rejects.toThrow(
      "COUNTERSIGN_TEAMS_TARGETS is required",
    );
    await expect(teamsChannelFromEnv(store, without("COUNTERSIGN_TEAMS_APP_PASSWORD"))).rejects.toThrow(
      "Set exactly one of COUNTERSIGN_TEAMS_APP_PASSWORD or COUNTERSIGN_TEAMS_CERTIFICATE_FILE",
    );
    await expect(
      teamsChannelFromEnv(store, { ...TEAMS_ENV, COUNTERSIGN_TEAMS_TARGETS: '{"finance":{}}' }),
    ).rejects.toThrow(/^COUNTERSIGN_TEAMS_TARGETS\.finance\.conversation_id/);
    await expect(
      teamsChannelFromEnv(store, {
        ...without("COUNTERSIGN_TEAMS_APP_PASSWORD"),
        COUNTERSIGN_TEAMS_CERTIFICATE_FILE: join(dir, "missing.pem"),
      }),
    ).rejects.toThrow(/COUNTERSIGN_TEAMS_CERTIFICATE_FILE: cannot read/);
  });

  it("takes a certificate and its key from a PEM file, and refuses one without a key", async () => {
    const pem = await readFile(TEST_PEM, "utf8");
    const both = join(dir, "teams.pem");
    await writeFile(both, pem);
    const env: Record<string, string> = { ...TEAMS_ENV, COUNTERSIGN_TEAMS_CERTIFICATE_FILE: both };
    delete env.COUNTERSIGN_TEAMS_APP_PASSWORD;
    expect((await teamsChannelFromEnv(store, env))?.channel).toBe("teams");
    const certificateOnly = join(dir, "cert.pem");
    await writeFile(certificateOnly, pem.slice(0, pem.indexOf("-----BEGIN PRIVATE KEY-----")));
    await expect(
      teamsChannelFromEnv(store, { ...env, COUNTERSIGN_TEAMS_CERTIFICATE_FILE: certificateOnly }),
    ).rejects.toThrow(/No PKCS#8 private key/);
  });
});

describe("Teams users → identities through the store", () => {
  it("maps by Entra object id, and by roster e-mail only when asked to", async () => {
    const at = new Date().toISOString();
    await store.putIdentity({
      identity: "alice@example.com",
      email: "alice@example.com",
      slackUserId: null,
      teamsUserId: ALICE_OID,
      displayName: null,
      groups: [],
      createdAt: at,
      updatedAt: at,
    });
    await store.putIdentity({
      identity: "carol",
      email: "Carol@Example.com",
      slackUserId: null,
      teamsUserId: null,
      displayName: null,
      groups: [],
      createdAt: at,
      updatedAt: at,
    });
    const byObjectId = teamsApproversFromStore(store, { matchEmail: false });
    const byEmailToo = teamsApproversFromStore(store, { matchEmail: true });
    if (typeof byObjectId !== "function" || typeof byEmailToo !== "function") throw new Error("a function");
    expect(await byObjectId({ id: "29:1a", aadObjectId: ALICE_OID })).toBe("alice@example.com");
    const carol = {
      id: "29:1c",
      aadObjectId: "5c8d9e0f-2a3b-4c5d-8e7f-9a0b1c2d3e4f",
      email: "carol@example.com",
    };
    expect(await byObjectId(carol)).toBeNull();
    expect(await byEmailToo(carol)).toBe("carol");
    expect(
      await byEmailToo({
        id: "29:1c",
        aadObjectId: null,
        userPrincipalName: "CAROL@example.com",
        email: null,
      }),
    ).toBe("carol");
    expect(await byEmailToo({ id: "29:1m", aadObjectId: null, email: "mallory@example.com" })).toBeNull();
  });
});

describe("countersign serve with Teams", () => {
  it("mounts the messaging endpoint outside /v1/ and refuses an activity without a Bot Framework token", async () => {
    const serve = await startServe(["--data-dir", dir], TEAMS_ENV);
    try {
      const response = await fetch(`${serve.url}/teams/messages`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ type: "message", text: "hi" }),
      });
      expect(response.status).toBe(401);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
      expect(await response.json()).toMatchObject({ code: "unauthorized" });
    } finally {
      await stop(serve.child);
    }
  });
});
