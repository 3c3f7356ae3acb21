import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Store, silentLogger, sqliteStore } from "@countersign/core/server";
import { validate } from "@readme/openapi-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CountersignServer, createCountersignServer } from "./countersign-server.ts";

/** Every channel `countersign serve` can mount, configured as an operator would (nothing is sent). */
const ENV = {
  COUNTERSIGN_SLACK_BOT_TOKEN: "xoxb-test",
  COUNTERSIGN_SLACK_SIGNING_SECRET: "slack-signing-secret",
  COUNTERSIGN_SMTP_URL: "smtp://127.0.0.1:1",
  COUNTERSIGN_SMTP_FROM: "countersign@example.com",
  COUNTERSIGN_TEAMS_APP_ID: "3f6b8c2e-91d4-4a7e-b5c0-6d2e8f1a4b97",
  COUNTERSIGN_TEAMS_TENANT_ID: "72f988bf-86f1-41af-91ab-2d7cd011db47",
  COUNTERSIGN_TEAMS_APP_PASSWORD: "app-password-from-the-registration",
  COUNTERSIGN_TEAMS_TARGETS: JSON.stringify({ finance: { conversation_id: "19:x@thread.tacv2" } }),
};

type Operation = {
  operationId: string;
  summary: string;
  security: Record<string, string[]>[];
  "x-countersign-roles"?: string[];
  "x-countersign-credential"?: string;
};
type Document = { paths: Record<string, Record<string, Operation>> };

let dir: string;
let store: Store;
let assembled: CountersignServer;
let document: Document;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "countersign-assembled-"));
  store = sqliteStore(join(dir, "countersign.db"));
  await store.migrate();
  assembled = await createCountersignServer({
    store,
    log: silentLogger,
    env: ENV,
    baseUrl: "https://approvals.example.com",
    serverOptions: { background: false },
  });
  document = (await (
    await assembled.server.fetch(new Request("https://approvals.example.com/openapi.json"))
  ).json()) as Document;
});
afterAll(async () => {
  await assembled?.server.close();
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

const operation = (method: string, path: string) => document.paths[path]?.[method];

describe("the OpenAPI document of the assembled server (API, inbox, Slack, Teams, e-mail)", () => {
  it("is valid OpenAPI 3.1", async () => {
    expect(await validate(structuredClone(document) as never)).toMatchObject({ valid: true });
  });

  it("documents every route the app serves, and the app serves every documented route", () => {
    const hidden = new Set(
      assembled.server.routes.filter((route) => route.hidden).map((route) => `${route.method} ${route.path}`),
    );
    const served = new Set(
      assembled.server.app.routes
        .filter((route) => route.method !== "ALL")
        .map((route) => `${route.method.toLowerCase()} ${route.path}`)
        .filter((route) => !hidden.has(route)),
    );
    const documented = new Set(
      Object.entries(document.paths).flatMap(([path, operations]) =>
        Object.keys(operations).map((method) => `${method} ${path.replace(/\{([^}]+)\}/g, ":$1")}`),
      ),
    );
    expect([...served].filter((route) => !documented.has(route))).toEqual([]);
    expect([...documented].filter((route) => !served.has(route))).toEqual([]);
    // Every family is there: the walk above is over all of them.
    for (const path of [
      "/v1/pauses",
      "/inbox/api/pauses",
      "/email/decide",
      "/slack/events",
      "/teams/messages",
    ]) {
      expect(Object.keys(document.paths)).toContain(path);
    }
  });

  it("leaves the inbox's pages and files out", () => {
    expect(hiddenPaths()).toEqual([
      "/",
      "/inbox",
      "/inbox/*",
      "/inbox/assets/*",
      "/inbox/icons/*",
      "/inbox/manifest.webmanifest",
      "/inbox/sw.js",
    ]);
    for (const path of hiddenPaths()) expect(document.paths[path]).toBeUndefined();
  });

  it("names the inbox session cookie (and CSRF header) as the inbox's credential", () => {
    expect(operation("get", "/inbox/api/pauses")?.security).toEqual([{ session: [] }]);
    expect(operation("post", "/inbox/api/pauses/{pause_id}/decision")?.security).toEqual([
      { session: [], csrf: [] },
    ]);
    expect(operation("get", "/inbox/api/audit")?.["x-countersign-roles"]).toEqual(["admin"]);
    expect(operation("post", "/inbox/api/session")?.security).toEqual([]);
  });

  it("says what each channel route is and which credential it checks", () => {
    const channelRoutes = [
      ["post", "/email/decide/open", /sealed \(encrypted\).*e-mail link token/],
      ["post", "/email/decide", /CSRF token/],
      ["post", "/slack/events", /X-Slack-Signature/],
      ["post", "/slack/interactions", /X-Slack-Signature/],
      ["post", "/teams/messages", /Bot Framework JWT/],
    ] as const;
    for (const [method, path, credential] of channelRoutes) {
      const declared = operation(method, path);
      expect(declared?.summary, `${method} ${path}`).not.toMatch(/^(slack|teams|email): /);
      expect(declared?.["x-countersign-credential"], `${method} ${path}`).toMatch(credential);
    }
  });
});

function hiddenPaths(): string[] {
  return assembled.server.routes
    .filter((route) => route.hidden)
    .map((route) => route.path)
    .sort();
}
