import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { sendWebhook } from "./send-webhook.ts";

interface Received {
  method: string | undefined;
  headers: IncomingMessage["headers"];
  body: string;
}

const servers: Server[] = [];

async function receiver(
  answer: (request: IncomingMessage, response: ServerResponse) => void,
): Promise<{ url: string; received: Received[]; connections: () => number }> {
  const received: Received[] = [];
  let connections = 0;
  const server = createServer((request, response) => {
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => {
      body += chunk;
    });
    request.on("end", () => {
      received.push({ method: request.method, headers: request.headers, body });
      answer(request, response);
    });
  });
  server.on("connection", () => {
    connections++;
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hooks?source=test`, received, connections: () => connections };
}

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

const headers = { "webhook-id": "msg_1", "webhook-timestamp": "1795000000", "webhook-signature": "v1,c2ln" };
const body = JSON.stringify({ type: "pause.decided" });

describe("sendWebhook", () => {
  it("POSTs the body with the JSON, user-agent and webhook headers and reports the status", async () => {
    const target = await receiver((_request, response) => response.writeHead(204).end());
    const result = await sendWebhook({ url: target.url, body, headers, allowPrivateTargets: true });
    expect(result).toMatchObject({ status: 204, error: null, retryAfter: null });
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
    expect(target.received).toHaveLength(1);
    const [request] = target.received;
    expect(request?.method).toBe("POST");
    expect(request?.body).toBe(body);
    expect(request?.headers).toMatchObject({
      "content-type": "application/json",
      "user-agent": "Countersign-Webhooks/1",
      ...headers,
    });
  });

  it("reports a failing status with its Retry-After", async () => {
    const target = await receiver((_request, response) =>
      response.writeHead(503, { "retry-after": "120" }).end(),
    );
    const result = await sendWebhook({ url: target.url, body, headers, allowPrivateTargets: true });
    expect(result).toMatchObject({ status: 503, error: null, retryAfter: "120" });
  });

  it("does not follow a redirect", async () => {
    const target = await receiver((_request, response) =>
      response.writeHead(302, { location: "http://169.254.169.254/latest/meta-data" }).end(),
    );
    const result = await sendWebhook({ url: target.url, body, headers, allowPrivateTargets: true });
    expect(result.status).toBe(302);
    expect(target.received).toHaveLength(1);
  });

  it("hangs up on an endless answer after 64 KiB and still reports its status", async () => {
    let hungUp = false;
    const target = await receiver((_request, response) => {
      response.writeHead(200);
      const chunk = Buffer.alloc(16 * 1024, "x");
      const pump = () => {
        while (!response.destroyed && response.write(chunk));
      };
      response.on("drain", pump);
      response.on("close", () => {
        hungUp = true;
      });
      pump();
    });
    // A timeout far beyond the test's own: only the read cap can end this attempt.
    const result = await sendWebhook({
      url: target.url,
      body,
      headers,
      allowPrivateTargets: true,
      timeoutMs: 60_000,
    });
    expect(result).toMatchObject({ status: 200, error: null });
    await expect.poll(() => hungUp).toBe(true);
  });

  it("times out when the receiver never answers", async () => {
    const target = await receiver(() => {});
    const result = await sendWebhook({
      url: target.url,
      body,
      headers,
      allowPrivateTargets: true,
      timeoutMs: 200,
    });
    expect(result).toMatchObject({ status: null, retryAfter: null });
    expect(result.error).toMatch(/timed out after 200 ms/i);
    expect(target.received).toHaveLength(1);
  });

  it("keeps the status when the receiver answers but never finishes the body", async () => {
    const target = await receiver((_request, response) => {
      response.writeHead(200);
      response.write("partial");
    });
    const result = await sendWebhook({
      url: target.url,
      body,
      headers,
      allowPrivateTargets: true,
      timeoutMs: 200,
    });
    expect(result).toMatchObject({ status: 200, error: null });
  });

  it("reports a refused connection without throwing", async () => {
    const target = await receiver(() => {});
    const closed = servers.pop() as Server;
    await new Promise((resolve) => closed.close(resolve));
    const result = await sendWebhook({ url: target.url, body, headers, allowPrivateTargets: true });
    expect(result.status).toBeNull();
    expect(result.error).toMatch(/ECONNREFUSED/);
  });

  describe("refuses private targets unless allowed, sending nothing", () => {
    it("an IP literal", async () => {
      const target = await receiver((_request, response) => response.end());
      const result = await sendWebhook({ url: target.url, body, headers });
      expect(result.status).toBeNull();
      expect(result.error).toMatch(/127\.0\.0\.1.*loopback.*allowPrivateTargets/);
      expect(target.connections()).toBe(0);
    });

    it("a name that resolves to loopback", async () => {
      const target = await receiver((_request, response) => response.end());
      const url = target.url.replace("127.0.0.1", "localhost");
      const result = await sendWebhook({ url, body, headers });
      expect(result.status).toBeNull();
      expect(result.error).toMatch(/localhost.*127\.0\.0\.1.*loopback/);
      expect(target.connections()).toBe(0);
    });

    it("an IPv6 loopback literal", async () => {
      const result = await sendWebhook({ url: "http://[::1]:9/hooks", body, headers });
      expect(result.error).toMatch(/::1.*loopback/);
    });
  });

  it("reports an unusable URL", async () => {
    expect((await sendWebhook({ url: "not a url", body, headers })).error).toMatch(/not a valid URL/);
    expect((await sendWebhook({ url: "ftp://example.com/", body, headers })).error).toMatch(/http or https/);
  });
});
