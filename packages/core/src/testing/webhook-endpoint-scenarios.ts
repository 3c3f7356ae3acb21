import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startWebhookReceiver, type WebhookReceiver } from "./webhook-receiver.ts";

/** A running server with one key per role. */
export interface ScenarioServer {
  url: string;
  adminKey: string;
  agentKey: string;
  approverKey: string;
  close(): Promise<void>;
}

export interface WebhookEndpointScenarioOptions {
  /** Starts a server whose webhooks may reach loopback (`allowPrivateTargets: true`) unless told otherwise. */
  start(options: { allowPrivateTargets: boolean }): Promise<ScenarioServer>;
  /**
   * Verifies a delivery the way a receiver does (the official `standardwebhooks`
   * library, given by the test so this module needs no such dependency); throws when it fails.
   */
  verify(secret: string, body: string, headers: Record<string, string>): unknown;
}

// biome-ignore lint/suspicious/noExplicitAny: event bodies are read loosely in assertions.
type Json = Record<string, any>;

async function call(server: ScenarioServer, key: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body !== undefined && { "content-type": "application/json" }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Json };
}

const headersOf = (received: { headers: Record<string, unknown> }) =>
  Object.fromEntries(Object.entries(received.headers).map(([name, value]) => [name, String(value)]));

/**
 * Registered webhook endpoints end to end over HTTP: an admin registers, a
 * real receiver on loopback gets the events it asked for, signed so the
 * official Standard Webhooks library verifies them with the endpoint's secret.
 */
export function describeWebhookEndpointScenarios(
  name: string,
  options: WebhookEndpointScenarioOptions,
): void {
  describe(`webhook endpoints over HTTP: ${name}`, () => {
    let server: ScenarioServer;
    let receiver: WebhookReceiver;
    let counter = 0;

    beforeAll(async () => {
      server = await options.start({ allowPrivateTargets: true });
    });
    afterAll(async () => {
      await server?.close();
    });

    /** A fresh receiver and an endpoint on it; each test sees only its own deliveries. */
    async function register(body: Json): Promise<Json> {
      receiver = await startWebhookReceiver(`/hooks/${++counter}`);
      const created = await call(server, server.adminKey, "POST", "/v1/webhook-endpoints", {
        url: receiver.url,
        ...body,
      });
      expect(created.status).toBe(201);
      return created.body;
    }

    async function open(body: Json = {}): Promise<string> {
      const opened = await call(server, server.agentKey, "POST", "/v1/pauses", {
        agent_id: "support-bot",
        action: { type: "refund", title: "Refund order 1042", data: { amount: 600 } },
        ...body,
      });
      expect(opened.status).toBe(202);
      return String(opened.body.pause_id);
    }

    const decide = (pauseId: string, decision: "approve" | "reject", reason?: string) =>
      call(server, server.approverKey, "POST", `/v1/pauses/${pauseId}/decision`, {
        decision,
        ...(reason && { reason }),
      });

    it("delivers the events an endpoint asked for, filtered, signed with its own secret", async () => {
      const endpoint = await register({
        events: ["pause.decided"],
        filter: { action_type: "refund", agent_id: "support-*" },
      });
      expect(endpoint.secret).toMatch(/^whsec_/);
      const ignored = await open({ action: { type: "payment", data: { amount: 600 } } });
      const pauseId = await open();
      expect((await decide(ignored, "approve")).status).toBe(200);
      expect((await decide(pauseId, "reject", "over the refund limit")).status).toBe(200);

      const [delivery] = await receiver.waitFor(1);
      const event = options.verify(endpoint.secret, delivery!.body, headersOf(delivery!)) as Json;
      expect(event.type).toBe("pause.decided");
      expect(event.data.pause.pause_id).toBe(pauseId);
      expect(event.data.pause.decision.reason).toBe("over the refund limit");
      expect(event.data.proof.decision).toBe("rejected");
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(receiver.received).toHaveLength(1);
      // Another secret does not verify it: the signature is this endpoint's.
      const other = await register({ events: ["pause.opened"] });
      expect(() => options.verify(other.secret, delivery!.body, headersOf(delivery!))).toThrow();
    });

    it("sends pause.opened and pause.executed (from the receipt), and the pause's own webhook_url still only pause.decided", async () => {
      const endpoint = await register({ events: ["pause.opened", "pause.executed"] });
      const own = await startWebhookReceiver("/own");
      try {
        const pauseId = await open({ webhook_url: own.url });
        expect((await decide(pauseId, "approve")).status).toBe(200);
        expect((await call(server, server.agentKey, "POST", `/v1/pauses/${pauseId}/claim`)).status).toBe(200);
        const receipt = await call(server, server.agentKey, "POST", `/v1/pauses/${pauseId}/receipt`, {
          outcome: "succeeded",
        });
        expect(receipt.status).toBe(201);
        const events = (await receiver.waitFor(2)).map(
          (delivery) => options.verify(endpoint.secret, delivery.body, headersOf(delivery)) as Json,
        );
        expect(events.map((event) => event.type).sort()).toEqual(["pause.executed", "pause.opened"]);
        const executed = events.find((event) => event.type === "pause.executed")!;
        expect(executed.data.receipt.outcome).toBe("succeeded");
        expect(executed.data.pause.pause_id).toBe(pauseId);
        const [ownDelivery] = await own.waitFor(1);
        expect(ownDelivery!.type).toBe("pause.decided");
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(own.received).toHaveLength(1);
      } finally {
        await own.close();
      }
    });

    it("sends pause.expired when a pause runs out", async () => {
      const endpoint = await register({ events: ["pause.decided", "pause.expired"] });
      const pauseId = await open({ expires_in: 1 });
      const [delivery] = await receiver.waitFor(1, 15_000);
      const event = options.verify(endpoint.secret, delivery!.body, headersOf(delivery!)) as Json;
      expect(event.type).toBe("pause.expired");
      expect(event.data.pause.pause_id).toBe(pauseId);
      expect(event.data.pause.status).toBe("expired");
    });

    it("rotates the secret: both verify during the grace period; with none, only the new one", async () => {
      const endpoint = await register({ events: ["pause.decided"] });
      const id = String(endpoint.endpoint_id);
      const rotated = await call(
        server,
        server.adminKey,
        "POST",
        `/v1/webhook-endpoints/${id}/rotate-secret`,
      );
      expect(rotated.status).toBe(200);
      expect(rotated.body.secret).toMatch(/^whsec_/);
      expect(rotated.body.secret).not.toBe(endpoint.secret);
      expect(Date.parse(rotated.body.previous_secret_expires_at)).toBeGreaterThan(
        Date.now() + 23 * 3_600_000,
      );
      await decide(await open(), "approve");
      const [during] = await receiver.waitFor(1);
      expect(() => options.verify(rotated.body.secret, during!.body, headersOf(during!))).not.toThrow();
      expect(() => options.verify(endpoint.secret, during!.body, headersOf(during!))).not.toThrow();

      const again = await call(server, server.adminKey, "POST", `/v1/webhook-endpoints/${id}/rotate-secret`, {
        expires_in: 0,
      });
      expect(again.body.previous_secret_expires_at).toBeNull();
      await decide(await open(), "approve");
      const [, after] = await receiver.waitFor(2);
      expect(() => options.verify(again.body.secret, after!.body, headersOf(after!))).not.toThrow();
      expect(() => options.verify(rotated.body.secret, after!.body, headersOf(after!))).toThrow();
    });

    it("never shows the secret again, sends nothing while disabled, and nothing after delete", async () => {
      const endpoint = await register({ events: ["pause.decided"], description: "tickets" });
      const id = String(endpoint.endpoint_id);
      const listed = await call(server, server.adminKey, "GET", "/v1/webhook-endpoints");
      expect(listed.status).toBe(200);
      expect(JSON.stringify(listed.body)).not.toContain(endpoint.secret);
      expect(listed.body.data.map((entry: Json) => entry.endpoint_id)).toContain(id);
      const read = await call(server, server.adminKey, "GET", `/v1/webhook-endpoints/${id}`);
      expect(read.body).toMatchObject({ endpoint_id: id, status: "enabled", description: "tickets" });
      expect(read.body.secret).toBeUndefined();

      const disabled = await call(server, server.adminKey, "PATCH", `/v1/webhook-endpoints/${id}`, {
        status: "disabled",
      });
      expect(disabled.body.status).toBe("disabled");
      await decide(await open(), "approve");
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(receiver.received).toHaveLength(0);

      await call(server, server.adminKey, "PATCH", `/v1/webhook-endpoints/${id}`, { status: "enabled" });
      const pauseId = await open();
      await decide(pauseId, "approve");
      const [delivery] = await receiver.waitFor(1);
      expect(JSON.parse(delivery!.body).data.pause.pause_id).toBe(pauseId);
      // The attempt log shows it, with the endpoint, and it can be sent again. The attempt is
      // recorded once the receiver's answer is back, a moment after the receiver has the body.
      const logged = await vi.waitFor(async () => {
        const deliveries = await call(server, server.adminKey, "GET", `/v1/pauses/${pauseId}/webhooks`);
        const entry = deliveries.body.data.find((each: Json) => each.endpoint_id === id);
        expect(entry).toMatchObject({ status: "delivered", attempts: 1 });
        return entry;
      }, 5_000);
      const redelivered = await call(
        server,
        server.adminKey,
        "POST",
        `/v1/webhooks/${logged.delivery_id}/redeliver`,
      );
      expect(redelivered.status).toBe(202);
      const [, resent] = await receiver.waitFor(2);
      expect(resent!.headers["webhook-id"]).toBe(delivery!.headers["webhook-id"]);

      expect((await call(server, server.adminKey, "DELETE", `/v1/webhook-endpoints/${id}`)).status).toBe(200);
      expect((await call(server, server.adminKey, "GET", `/v1/webhook-endpoints/${id}`)).status).toBe(404);
      await decide(await open(), "approve");
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(receiver.received).toHaveLength(2);
    });

    it("is for admins only, and names the field of bad input", async () => {
      const body = { url: "https://ops.example/hooks", events: ["pause.decided"] };
      for (const key of [server.agentKey, server.approverKey]) {
        expect((await call(server, key, "POST", "/v1/webhook-endpoints", body)).status).toBe(403);
        expect((await call(server, key, "GET", "/v1/webhook-endpoints")).status).toBe(403);
      }
      const bad = async (input: Json, field: string) => {
        const answer = await call(server, server.adminKey, "POST", "/v1/webhook-endpoints", input);
        expect(answer.status).toBe(400);
        expect(answer.body.code).toBe("invalid_request");
        expect(answer.body.errors.map((error: Json) => error.path)).toContain(field);
      };
      await bad({ events: ["pause.decided"] }, "url");
      await bad({ ...body, url: "ftp://ops.example/hooks" }, "url");
      await bad({ ...body, events: ["pause.nope"] }, "events.0");
      await bad({ ...body, events: [] }, "events");
      await bad({ ...body, filter: { agent: "x" } }, "filter");
      const patch = await call(server, server.adminKey, "PATCH", "/v1/webhook-endpoints/whe_missing", {
        status: "off",
      });
      expect(patch.status).toBe(400);
      expect(patch.body.errors.map((error: Json) => error.path)).toContain("status");
      const missing = await call(server, server.adminKey, "PATCH", "/v1/webhook-endpoints/whe_missing", {
        status: "disabled",
      });
      expect(missing.status).toBe(404);
    });

    it("refuses a private or loopback URL unless private targets are allowed (SSRF)", async () => {
      const strict = await options.start({ allowPrivateTargets: false });
      try {
        for (const url of [
          "http://127.0.0.1:9/hooks",
          "http://[::1]/hooks",
          "http://169.254.169.254/latest",
          "http://localhost/hooks",
        ]) {
          const answer = await call(strict, strict.adminKey, "POST", "/v1/webhook-endpoints", {
            url,
            events: ["pause.decided"],
          });
          expect(answer.status, url).toBe(400);
          expect(answer.body.errors.map((error: Json) => error.path)).toEqual(["url"]);
        }
      } finally {
        await strict.close();
      }
    });
  });
}
