import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiKeyRole } from "../store/records.ts";
import { startTestServer, type TestServer } from "../testing/test-server.ts";
import { call } from "./server-test-helpers.ts";

// Every route × every key role, read from the served OpenAPI document (`x-countersign-roles`), so a
// route added later is covered without editing this test.
let t: TestServer;
let pauseId: string;
let routes: { method: string; path: string; roles: ApiKeyRole[] }[];

beforeAll(async () => {
  t = await startTestServer();
  const opened = await call(t, "POST", "/v1/pauses", {
    body: { agent_id: "billing-agent", action: { type: "payment", data: { amount: 1 } } },
  });
  pauseId = String(opened.body.pause_id);
  const document = (await call(t, "GET", "/openapi.json", { key: null })).body as {
    paths: Record<string, Record<string, { "x-countersign-roles"?: ApiKeyRole[] }>>;
  };
  routes = Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.entries(operations)
      .filter(([, operation]) => operation["x-countersign-roles"] !== undefined)
      .map(([method, operation]) => ({ method, path, roles: operation["x-countersign-roles"]! })),
  );
});
afterAll(async () => {
  await t?.close();
});

const ROLES: ApiKeyRole[] = ["agent", "approver", "admin", "executor"];

function keyOf(role: ApiKeyRole): string {
  return { agent: t.agentKey, approver: t.approverKey, admin: t.adminKey, executor: t.executorKey }[role];
}

function concrete(path: string): string {
  return path.replace("{pause_id}", pauseId).replace(/\{[^}]+\}/g, "x_unknown");
}

describe("every API route refuses every key role it does not declare", () => {
  it("covers the API, the executor role included", () => {
    expect(routes.length).toBeGreaterThan(10);
    const executorRoutes = routes.filter((route) => route.roles.includes("executor"));
    expect(executorRoutes.map((route) => `${route.method} ${route.path}`).sort()).toEqual([
      "get /v1/pauses/{pause_id}",
      "post /v1/pauses/{pause_id}/claim",
      "post /v1/pauses/{pause_id}/receipt",
    ]);
  });

  it("answers 403 naming the role, before reading the request, for each undeclared role", async () => {
    const refusals: string[] = [];
    for (const route of routes) {
      for (const role of ROLES) {
        if (route.roles.includes(role)) continue;
        const response = await call(t, route.method.toUpperCase(), concrete(route.path), {
          key: keyOf(role),
          ...(route.method !== "get" && { body: {} }),
        });
        const refused =
          response.status === 403 &&
          String(response.body.detail).startsWith(`A key with role ${role} may not`);
        if (!refused) refusals.push(`${role} ${route.method} ${route.path} → ${response.status}`);
      }
    }
    expect(refusals).toEqual([]);
  });

  it("lets each declared role past the role check", async () => {
    const blocked: string[] = [];
    for (const route of routes) {
      for (const role of route.roles) {
        // Reads only: a declared role must not be refused for its role (other 4xx are fine).
        // Streams and the Prometheus text of /metrics are not JSON; /metrics has its own test.
        if (route.method !== "get" || route.path.endsWith("/events") || route.path === "/metrics") continue;
        const response = await call(t, "GET", concrete(route.path), { key: keyOf(role) });
        if (String(response.body.detail ?? "").startsWith("A key with role")) {
          blocked.push(`${role} ${route.path}`);
        }
      }
    }
    expect(blocked).toEqual([]);
  });
});
