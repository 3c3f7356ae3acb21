import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

/** The loopback URL of a Node server listening on port 0, and how to close it (with its keep-alive sockets). */
export async function listening(server: Server): Promise<{ url: string; close: () => Promise<void> }> {
  if (!server.listening) {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
  }
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
