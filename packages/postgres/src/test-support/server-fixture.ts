// One Countersign server on Postgres, as its own process: `node --conditions=@countersign/source
// server-fixture.ts <database-url>`. Prints "listening on <url>"; SIGTERM shuts it down cleanly.
import { createApprovalServer, jsonLogger, listen } from "@countersign/core/server";
import { postgresStore } from "../postgres-store.ts";

const databaseUrl = process.argv[2];
if (!databaseUrl) throw new Error("usage: server-fixture.ts <database-url>");

const store = postgresStore(databaseUrl, { pollIntervalMs: 500 });
const server = await createApprovalServer({
  store,
  log: jsonLogger(process.stderr),
  webhooks: { allowPrivateTargets: true, intervalMs: 200, timeoutMs: 2_000 },
  expirySweepMs: 500,
});
const listening = await listen(server, { port: 0, host: "127.0.0.1" });
process.stdout.write(`listening on ${listening.url}\n`);

process.once("SIGTERM", () => {
  void (async () => {
    await listening.close();
    await server.close();
    await store.close();
    process.exit(0);
  })();
});
