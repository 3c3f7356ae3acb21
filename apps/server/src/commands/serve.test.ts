import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Webhook } from "standardwebhooks";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli, startServe, stop } from "../test-support/cli-process.ts";

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "countersign-serve-"));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

function createKey(role: string, identity: string): string {
  // Keys first, server second: --init creates the store the server then opens.
  const binding = role === "agent" ? ["--agent-id", "*"] : [];
  const result = runCli([
    "keys",
    "create",
    "--role",
    role,
    "--identity",
    identity,
    ...binding,
    "--data-dir",
    dataDir,
    "--init",
  ]);
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout).key;
}

/** A webhook receiver that answers 503 until told otherwise. */
async function startReceiver() {
  const received: { headers: IncomingHttpHeaders; body: string }[] = [];
  let status = 503;
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => {
      body += chunk.toString();
    });
    request.on("end", () => {
      received.push({ headers: request.headers, body });
      response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    received,
    accept: () => {
      status = 200;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe("countersign serve", () => {
  it("delivers a webhook left pending when the server was killed, after it restarts", async () => {
    const receiver = await startReceiver();
    const agentKey = createKey("agent", "owner@example.com");
    const approverKey = createKey("approver", "alice@example.com");
    const flags = ["--data-dir", dataDir, "--allow-private-webhooks"];
    const first = await startServe(flags);
    try {
      const opened = await fetch(`${first.url}/v1/pauses`, {
        method: "POST",
        headers: { authorization: `Bearer ${agentKey}`, "content-type": "application/json" },
        body: JSON.stringify({
          agent_id: "billing-agent",
          action: { type: "payment", description: "Pay Acme Corp $12,450" },
          recipients: [{ channel: "slack", target: "#finance-approvals" }],
          webhook_url: receiver.url,
        }),
      });
      const pause = (await opened.json()) as { pause_id: string };
      const decided = await fetch(`${first.url}/v1/pauses/${pause.pause_id}/decision`, {
        method: "POST",
        headers: { authorization: `Bearer ${approverKey}`, "content-type": "application/json" },
        body: JSON.stringify({ decision: "approve" }),
      });
      expect(decided.status).toBe(200);
      // Kill only once the refused first attempt is on record: the delivery is pending, due again in ~5 s.
      await waitForAsync(async () => {
        const list = await fetch(`${first.url}/v1/pauses/${pause.pause_id}/webhooks`, {
          headers: { authorization: `Bearer ${agentKey}` },
        });
        const deliveries = ((await list.json()) as { data: { attempts: number; status: string }[] }).data;
        return deliveries[0]?.attempts === 1 && deliveries[0].status === "pending";
      });
      expect(receiver.received).toHaveLength(1);
    } finally {
      await stop(first.child, "SIGKILL");
    }
    // The first attempt was refused (503); the delivery is still in the outbox.
    receiver.accept();
    const second = await startServe(flags);
    try {
      await waitFor(() => receiver.received.length >= 2, 15_000);
      const delivered = receiver.received.at(-1)!;
      expect(delivered.headers["webhook-id"]).toBe(receiver.received[0]!.headers["webhook-id"]);
      const secrets = JSON.parse(runCli(["keys", "secrets", "--data-dir", dataDir]).stdout);
      const event = new Webhook(secrets.webhook_secret).verify(delivered.body, {
        "webhook-id": String(delivered.headers["webhook-id"]),
        "webhook-timestamp": String(delivered.headers["webhook-timestamp"]),
        "webhook-signature": String(delivered.headers["webhook-signature"]),
      }) as { type: string; data: { pause: { status: string }; proof: { decision: string } } };
      expect(event.type).toBe("pause.decided");
      expect(event.data.pause.status).toBe("approved");
      expect(event.data.proof.decision).toBe("approved");
    } finally {
      await stop(second.child);
      await receiver.close();
    }
    // Four CLI processes and a retry schedule: tens of seconds on a busy machine.
  }, 90_000);
});

async function waitForAsync(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
