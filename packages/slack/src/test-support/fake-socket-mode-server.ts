import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";

/**
 * Slack's Socket Mode endpoint, played locally: greets with `hello`, sends
 * `interactive` envelopes and returns the app's acknowledgement payload.
 * `apps.connections.open` (intercepted) hands the app this server's URL.
 */
export async function startFakeSocketModeServer() {
  const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  const pendingAcks = new Map<string, (payload: Record<string, unknown>) => void>();
  let envelopeCount = 0;
  const connected = new Promise<WebSocket>((resolve) => {
    server.on("connection", (socket) => {
      socket.on("message", (data) => {
        const message = JSON.parse(String(data)) as {
          envelope_id?: string;
          payload?: Record<string, unknown>;
        };
        if (message.envelope_id) pendingAcks.get(message.envelope_id)?.(message.payload ?? {});
      });
      socket.send(
        JSON.stringify({
          type: "hello",
          num_connections: 1,
          debug_info: { host: "fake-socket-mode", approximate_connection_time: 3600 },
          connection_info: { app_id: "A0COUNTERSIGN" },
        }),
      );
      resolve(socket);
    });
  });

  return {
    url: `ws://127.0.0.1:${port}/link/?ticket=test-ticket`,
    /** Sends an interaction envelope and resolves with the app's acknowledgement payload. */
    async send(payload: Record<string, unknown>): Promise<Record<string, unknown>> {
      const socket = await connected;
      envelopeCount += 1;
      const envelopeId = `envelope-${envelopeCount}`;
      const acknowledged = new Promise<Record<string, unknown>>((resolve) =>
        pendingAcks.set(envelopeId, resolve),
      );
      socket.send(
        JSON.stringify({
          envelope_id: envelopeId,
          type: "interactive",
          payload,
          accepts_response_payload: payload.type === "view_submission",
        }),
      );
      return acknowledged;
    },
    async close(): Promise<void> {
      for (const client of server.clients) client.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
