import { Webhook } from "standardwebhooks";
import { startTestServer } from "../../testing/test-server.ts";
import { describeWebhookEndpointScenarios } from "../../testing/webhook-endpoint-scenarios.ts";

describeWebhookEndpointScenarios("SQLite", {
  async start({ allowPrivateTargets }) {
    const server = await startTestServer({
      serverOptions: { webhooks: { allowPrivateTargets, intervalMs: 50 } },
    });
    return server;
  },
  verify: (secret, body, headers) => new Webhook(secret).verify(body, headers),
});
