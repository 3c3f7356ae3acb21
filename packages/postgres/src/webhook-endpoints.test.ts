import { createApprovalServer, listen, silentLogger } from "@countersign/core/server";
import { describeWebhookEndpointScenarios } from "@countersign/core/testing";
import { Webhook } from "standardwebhooks";
import { afterAll } from "vitest";
import { postgresStore } from "./postgres-store.ts";
import { createTestDatabase, type TestDatabase } from "./test-support/test-database.ts";

const databases: TestDatabase[] = [];
afterAll(async () => {
  for (const database of databases.splice(0)) await database.drop();
});

describeWebhookEndpointScenarios("Postgres", {
  async start({ allowPrivateTargets }) {
    const database = await createTestDatabase();
    databases.push(database);
    const store = postgresStore(database.url);
    const server = await createApprovalServer({
      store,
      log: silentLogger,
      webhooks: { allowPrivateTargets, intervalMs: 50 },
      expirySweepMs: 100,
    });
    const listening = await listen(server, { port: 0, host: "127.0.0.1" });
    const issue = async (role: "agent" | "approver" | "admin", identity: string) =>
      (
        await server.issueApiKey({
          role,
          identity,
          name: `test ${role}`,
          ...(role === "agent" && { agentIds: ["*"] }),
        })
      ).key;
    return {
      url: listening.url,
      adminKey: await issue("admin", "admin@example.com"),
      agentKey: await issue("agent", "agent-owner@example.com"),
      approverKey: await issue("approver", "alice@example.com"),
      async close() {
        await listening.close();
        await server.close();
        await store.close();
      },
    };
  },
  verify: (secret, body, headers) => new Webhook(secret).verify(body, headers),
});
