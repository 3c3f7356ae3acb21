import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { ApprovalServer } from "@countersign/core/server";

export interface MetricsListener {
  url: string;
  close(): Promise<void>;
}

/**
 * `GET /metrics` alone, without a key, on a port of its own: for a scraper
 * on a private network. Bind it to an address only that network reaches
 * (default loopback); everything else on it is a 404.
 */
export async function listenForMetrics(
  server: Pick<ApprovalServer, "metrics">,
  options: { port: number; host: string },
): Promise<MetricsListener> {
  const listener = createServer((request, response) => {
    if (request.method !== "GET" || request.url?.split("?")[0] !== "/metrics") {
      response.writeHead(404, { "content-type": "text/plain" }).end("Not found\n");
      return;
    }
    server.metrics.metrics().then(
      (text) => response.writeHead(200, { "content-type": server.metrics.contentType }).end(text),
      () => response.writeHead(500, { "content-type": "text/plain" }).end("metrics failed\n"),
    );
  });
  await new Promise<void>((resolve, reject) => {
    listener.once("error", reject);
    listener.listen(options.port, options.host, resolve);
  });
  const { address, port } = listener.address() as AddressInfo;
  const host = address.includes(":") ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}/metrics`,
    close: () => new Promise<void>((resolve) => listener.close(() => resolve())),
  };
}
