import type { Readable, Writable } from "node:stream";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import type { Connectable } from "./serve-http.ts";

/**
 * Serves one MCP session over stdin/stdout. Resolves when the client goes
 * away (stdin ends), after the server is closed; the SDK's transport does not
 * notice a closed stdin on its own.
 */
export async function serveStdio(
  server: Connectable,
  streams: { stdin?: Readable; stdout?: Writable } = {},
): Promise<void> {
  const stdin = streams.stdin ?? process.stdin;
  const stdout = streams.stdout ?? process.stdout;
  const transport = new StdioServerTransport(stdin, stdout);
  const ended = new Promise<void>((resolve) => {
    stdin.once("end", resolve);
    stdin.once("close", resolve);
  });
  await server.connect(transport);
  await ended;
  await server.close().catch(() => {});
}
