import { describe, expect, it } from "vitest";
import { startTestServer } from "../testing/test-server.ts";
import { call, seedRequest } from "./server-test-helpers.ts";

describe("health and the API description", () => {
  it("is ready while the store answers and 503 when it does not", async () => {
    const t = await startTestServer();
    try {
      expect((await call(t, "GET", "/healthz", { key: null })).status).toBe(200);
      expect((await call(t, "GET", "/readyz", { key: null })).status).toBe(200);
      // The store goes away under the running server: everything fails closed with 503.
      await t.store.close();
      const ready = await call(t, "GET", "/readyz", { key: null });
      expect(ready.status).toBe(503);
      expect(ready.body.code).toBe("store_unavailable");
      const create = await call(t, "POST", "/v1/pauses", { body: seedRequest() });
      expect(create.status).toBe(503);
      expect(create.body.code).toBe("store_unavailable");
    } finally {
      await t.close();
    }
  });

  it("serves an OpenAPI 3.1 document generated from the schemas", async () => {
    const t = await startTestServer();
    try {
      const document = await call(t, "GET", "/openapi.json", { key: null });
      expect(document.body.openapi).toBe("3.1.0");
      // The server's own URL (a random port here) is the only part that is not the contract.
      expect({ ...document.body, servers: "(this server)" }).toMatchSnapshot();
    } finally {
      await t.close();
    }
  });
});
