import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { ApprovalServer } from "./create-approval-server.ts";

export interface Listening {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Serves an approval server on Node's http module. Port 0 picks a free port. */
export function listen(
  server: ApprovalServer,
  options: { port?: number; host?: string } = {},
): Promise<Listening> {
  const host = options.host ?? "127.0.0.1";
  return new Promise((resolve, reject) => {
    const httpServer = serve(
      { fetch: server.fetch, port: options.port ?? 0, hostname: host },
      (info: AddressInfo) => {
        const shownHost = host.includes(":") ? `[${host}]` : host;
        const url = `http://${shownHost === "0.0.0.0" ? "127.0.0.1" : shownHost}:${info.port}`;
        if (server.baseUrl === "http://localhost") server.baseUrl = url;
        resolve({
          url,
          port: info.port,
          close: () =>
            new Promise<void>((done) => {
              httpServer.close(() => done());
              // Long-polls and event streams would hold the close open; end them.
              (httpServer as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
            }),
        });
      },
    );
    httpServer.once("error", reject);
  });
}
