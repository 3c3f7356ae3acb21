import { generateWebhookSecret, signWebhook } from "@countersign/core";
import { startTestServer, type TestServer } from "@countersign/core/testing";
import type { INode } from "n8n-workflow";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SimulatedTrigger, startSimulatedTrigger } from "../../testing/simulated-trigger.ts";
import { CountersignTrigger } from "./CountersignTrigger.node.ts";

// biome-ignore lint/suspicious/noExplicitAny: answers and events are read loosely in assertions.
type Json = Record<string, any>;

const nodeType = new CountersignTrigger();
let countersign: TestServer;

beforeAll(async () => {
  countersign = await startTestServer();
});
afterAll(async () => {
  await countersign?.close();
});

function triggerNode(parameters: Record<string, unknown> = {}): INode {
  return {
    id: "7b1c2d3e-0000-4000-8000-000000000001",
    webhookId: "5e0c9a52-6f1b-4c1e-9d0a-8c1f2e3d4b5a",
    name: "On rejected refunds",
    type: "n8n-nodes-countersign.countersignTrigger",
    typeVersion: 1,
    position: [0, 0],
    parameters: { events: ["pause.decided", "pause.expired"], actionType: "refund", ...parameters },
  };
}

async function admin(method: string, path: string) {
  const response = await fetch(`${countersign.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${countersign.adminKey}` },
  });
  return { status: response.status, body: (await response.json()) as Json };
}

async function openPause(actionType: string): Promise<string> {
  const response = await fetch(`${countersign.url}/v1/pauses`, {
    method: "POST",
    headers: { authorization: `Bearer ${countersign.agentKey}`, "content-type": "application/json" },
    body: JSON.stringify({ agent_id: "support-bot", action: { type: actionType, data: { amount: 640 } } }),
  });
  return String(((await response.json()) as { pause_id: string }).pause_id);
}

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function post(trigger: SimulatedTrigger, body: string, headers: Record<string, string>) {
  const response = await fetch(trigger.webhookUrl, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
  });
  return response.status;
}

async function started(parameters: Record<string, unknown> = {}) {
  const trigger = await startSimulatedTrigger(nodeType, {
    node: triggerNode(parameters),
    credentials: { serverUrl: countersign.url, apiKey: countersign.adminKey },
  });
  await trigger.activate();
  return trigger;
}

describe("Countersign Trigger", () => {
  it("registers one endpoint on activation and starts the workflow with each verified event it asked for", async () => {
    const trigger = await started();
    try {
      const { endpointId, secret } = trigger.staticData() as { endpointId: string; secret: string };
      expect(secret).toMatch(/^whsec_/);
      const endpoint = await admin("GET", `/v1/webhook-endpoints/${endpointId}`);
      expect(endpoint.body).toMatchObject({
        url: trigger.webhookUrl,
        events: ["pause.decided", "pause.expired"],
        filter: { action_type: "refund" },
        status: "enabled",
      });
      await trigger.activate(); // n8n checks again on restart: the endpoint is there, nothing new
      const mine = (await admin("GET", "/v1/webhook-endpoints")).body.data.filter(
        (entry: { url: string }) => entry.url === trigger.webhookUrl,
      );
      expect(mine).toHaveLength(1);

      await countersign.approve(await openPause("payment")); // filtered out by the server
      const refund = await openPause("refund");
      await countersign.reject(refund, "Over the refund limit");
      await until(() => trigger.executions.length === 1);
      const [[items]] = trigger.executions as [[{ json: Json }[]]];
      expect(items![0]!.json.type).toBe("pause.decided");
      expect(items![0]!.json.data.pause.pause_id).toBe(refund);
      expect(items![0]!.json.data.pause.decision.reason).toBe("Over the refund limit");
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(trigger.executions).toHaveLength(1);
    } finally {
      await trigger.deactivate();
      await trigger.close();
    }
  });

  it("refuses forged, unsigned and stale deliveries with 401 and ignores events not chosen", async () => {
    const trigger = await started();
    try {
      const { secret } = trigger.staticData() as { secret: string };
      const event = (type: string) =>
        JSON.stringify({ type, timestamp: new Date().toISOString(), data: { pause: { pause_id: "pau_x" } } });
      const sign = (body: string, key: string, at = Math.floor(Date.now() / 1000)) =>
        signWebhook({ id: "msg_test", timestamp: at, body, secret: key });

      const forged = event("pause.decided");
      expect(await post(trigger, forged, await sign(forged, generateWebhookSecret()))).toBe(401);
      expect(await post(trigger, forged, {})).toBe(401);
      expect(
        await post(trigger, forged, await sign(forged, secret, Math.floor(Date.now() / 1000) - 3_600)),
      ).toBe(401);
      const signed = await sign(forged, secret);
      expect(await post(trigger, `${forged} `, signed)).toBe(401); // one byte changed
      expect(trigger.executions).toHaveLength(0);

      const notChosen = event("pause.opened");
      expect(await post(trigger, notChosen, await sign(notChosen, secret))).toBe(200);
      expect(trigger.executions).toHaveLength(0);
      expect(await post(trigger, forged, signed)).toBe(200);
      expect(trigger.executions).toHaveLength(1);
    } finally {
      await trigger.deactivate();
      await trigger.close();
    }
  });

  it("removes its endpoint on deactivation, and registers again when the endpoint was deleted meanwhile", async () => {
    const trigger = await started({ events: ["pause.opened"], actionType: "" });
    try {
      const first = (trigger.staticData() as { endpointId: string }).endpointId;
      expect((await admin("DELETE", `/v1/webhook-endpoints/${first}`)).status).toBe(200);
      await trigger.activate();
      const second = (trigger.staticData() as { endpointId: string }).endpointId;
      expect(second).not.toBe(first);
      expect((await admin("GET", `/v1/webhook-endpoints/${second}`)).body.filter).toBeNull();

      await trigger.deactivate();
      expect((await admin("GET", `/v1/webhook-endpoints/${second}`)).status).toBe(404);
      expect(trigger.staticData()).toEqual({});
      await openPause("refund");
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(trigger.executions).toHaveLength(0);
    } finally {
      await trigger.close();
    }
  });

  it("fails activation with the server's reason when the key is not an admin's", async () => {
    const trigger = await startSimulatedTrigger(nodeType, {
      node: triggerNode(),
      credentials: { serverUrl: countersign.url, apiKey: countersign.approverKey },
    });
    try {
      await expect(trigger.activate()).rejects.toThrow(/Countersign refused the request/);
      expect(trigger.staticData()).toEqual({});
    } finally {
      await trigger.close();
    }
  });
});
