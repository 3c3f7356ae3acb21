// The action the agent's gated tool performs: a refund API on 127.0.0.1 that
// records every refund it is asked for, so a test sees whether the tool ran,
// how many times, and with which arguments.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface RefundService {
  url: string;
  refunds: Record<string, unknown>[];
  close(): Promise<void>;
}

export async function startRefundService(): Promise<RefundService> {
  const refunds: Record<string, unknown>[] = [];
  const server: Server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    if (request.method !== "POST" || request.url !== "/refunds") {
      response.writeHead(404).end();
      return;
    }
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as Record<string, unknown>;
    refunds.push(body);
    response.writeHead(201, { "content-type": "application/json" });
    response.end(JSON.stringify({ refund_id: `re_${refunds.length}`, status: "refunded", ...body }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    refunds,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
