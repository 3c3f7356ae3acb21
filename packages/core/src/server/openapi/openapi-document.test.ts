import { spawnSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { validate } from "@readme/openapi-parser";
import openapiTS, { astToString } from "openapi-typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../testing/test-server.ts";
import { SEED_PAUSE_REQUEST } from "../routes/route-schemas.ts";

type Document = {
  openapi: string;
  servers: { url: string }[];
  paths: Record<
    string,
    Record<string, { operationId: string; responses: Record<string, unknown>; security: unknown[] }>
  >;
  components: { securitySchemes: Record<string, unknown> };
};

let t: TestServer;
let document: Document;
beforeAll(async () => {
  t = await startTestServer();
  document = (await (await fetch(`${t.url}/openapi.json`)).json()) as Document;
});
afterAll(() => t.close());

describe("the OpenAPI document", () => {
  it("is a valid OpenAPI 3.1 document, with servers and security schemes", async () => {
    const result = await validate(structuredClone(document) as never);
    expect(result).toMatchObject({ valid: true });
    expect(document.openapi).toBe("3.1.0");
    expect(document.servers).toEqual([{ url: t.url }]);
    expect(Object.keys(document.components.securitySchemes).sort()).toEqual(["apiKey", "csrf", "session"]);
  });

  it("documents every route the server serves, and serves every documented route", () => {
    const served = new Set(
      t.server.app.routes
        .filter((route) => route.method !== "ALL")
        .map((route) => `${route.method.toLowerCase()} ${route.path}`),
    );
    const documented = new Set(
      Object.entries(document.paths).flatMap(([path, operations]) =>
        Object.keys(operations).map((method) => `${method} ${path.replace(/\{([^}]+)\}/g, ":$1")}`),
      ),
    );
    expect([...served].filter((route) => !documented.has(route))).toEqual([]);
    expect([...documented].filter((route) => !served.has(route))).toEqual([]);
  });

  it("names every operation once and answers errors with problem details", () => {
    const operations = Object.values(document.paths).flatMap((methods) => Object.values(methods));
    const ids = operations.map((operation) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const operation of operations) {
      for (const [status, response] of Object.entries(operation.responses)) {
        if (Number(status) >= 400) {
          expect(response).toMatchObject({ content: { "application/problem+json": expect.anything() } });
        }
      }
    }
    expect(document.paths["/v1/pauses"]?.post).toMatchObject({
      operationId: "openPause",
      "x-countersign-roles": ["agent"],
    });
  });

  it("generates TypeScript types (openapi-typescript) that accept the real request bodies", async () => {
    const types = astToString(await openapiTS(document as never));
    const dir = await mkdtemp(join(tmpdir(), "countersign-openapi-types-"));
    try {
      await writeFile(join(dir, "api.ts"), types);
      await writeFile(
        join(dir, "check.ts"),
        [
          'import type { components, operations } from "./api.ts";',
          `export const seed: components["schemas"]["PauseRequest"] = ${JSON.stringify(SEED_PAUSE_REQUEST)};`,
          'export const minimal: components["schemas"]["PauseRequest"] = { agent_id: "a", action: { type: "refund", data: { amount: 12450, lines: [{ sku: "x", qty: 2 }], note: null } } };',
          'export const approve: components["schemas"]["DecisionRequest"] = { decision: "approve", data: { amount: 12000 } };',
          'export const reject: operations["decidePause"]["requestBody"] = { content: { "application/json": { decision: "reject", reason: "no" } } };',
          'type Opened = operations["openPause"]["responses"][202]["content"]["application/json"];',
          'export const status: Opened["status"] = "pending";',
          "",
        ].join("\n"),
      );
      const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
      const result = spawnSync(
        process.execPath,
        [
          tsc,
          "--noEmit",
          "--strict",
          "--allowImportingTsExtensions",
          "--module",
          "nodenext",
          "--moduleResolution",
          "nodenext",
          "--target",
          "es2022",
          join(dir, "check.ts"),
        ],
        { encoding: "utf8" },
      );
      expect(result.stdout + result.stderr).toBe("");
      expect(result.status).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    // A type check of the generated file: seconds of tsc, more on a busy machine.
  }, 120_000);
});
