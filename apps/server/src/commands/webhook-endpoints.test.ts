import { startTestServer, startWebhookReceiver, type TestServer } from "@countersign/core/testing";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCliAsync } from "../test-support/cli-process.ts";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.close();
});

const cli = (key: string, ...args: string[]) =>
  runCliAsync(["webhook-endpoints", ...args, "--server", t.url], { COUNTERSIGN_API_KEY: key });

const lines = (stdout: string) =>
  stdout
    .trim()
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe("countersign webhook-endpoints", () => {
  it("creates an endpoint whose deliveries verify with the printed secret, then disables, rotates and deletes it", async () => {
    const receiver = await startWebhookReceiver();
    try {
      const created = await cli(
        t.adminKey,
        "create",
        "--url",
        receiver.url,
        "--event",
        "pause.opened",
        "--action-type",
        "refund",
      );
      expect(created.stderr).toBe("");
      expect(created.code).toBe(0);
      const [endpoint] = lines(created.stdout);
      expect(endpoint).toMatchObject({ events: ["pause.opened"], filter: { action_type: "refund" } });
      const secret = String(endpoint!.secret);
      const id = String(endpoint!.endpoint_id);

      await fetch(`${t.url}/v1/pauses`, {
        method: "POST",
        headers: { authorization: `Bearer ${t.agentKey}`, "content-type": "application/json" },
        body: JSON.stringify({ agent_id: "support-bot", action: { type: "refund" } }),
      });
      const [delivery] = await receiver.waitFor(1);
      const headers = Object.fromEntries(Object.entries(delivery!.headers).map(([k, v]) => [k, String(v)]));
      expect((new Webhook(secret).verify(delivery!.body, headers) as { type: string }).type).toBe(
        "pause.opened",
      );

      const listed = await cli(t.adminKey, "list");
      expect(lines(listed.stdout).map((entry) => entry.endpoint_id)).toContain(id);
      expect(listed.stdout).not.toContain(secret);
      expect(lines((await cli(t.adminKey, "disable", id)).stdout)[0]!.status).toBe("disabled");
      expect(lines((await cli(t.adminKey, "enable", id)).stdout)[0]!.status).toBe("enabled");
      const [rotated] = lines((await cli(t.adminKey, "rotate", id, "--grace", "0s")).stdout);
      expect(rotated!.secret).not.toBe(secret);
      expect(rotated!.previous_secret_expires_at).toBeNull();
      expect((await cli(t.adminKey, "delete", id)).code).toBe(0);
      expect(lines((await cli(t.adminKey, "list")).stdout).map((entry) => entry.endpoint_id)).not.toContain(
        id,
      );
    } finally {
      await receiver.close();
    }
  }, 240_000);

  it("refuses a non-admin key and bad input with the server's reason", async () => {
    const refused = await cli(t.approverKey, "list");
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("403");
    const bad = await cli(
      t.adminKey,
      "create",
      "--url",
      "https://ops.example/hooks",
      "--event",
      "pause.nope",
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("events.0");
    const usage = await cli(t.adminKey, "create", "--event", "pause.decided");
    expect(usage.code).not.toBe(0);
    expect(usage.stderr).toContain("--url");
  }, 120_000);
});
