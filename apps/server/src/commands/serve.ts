import { listen } from "@countersign/core/server";
import { createCountersignServer } from "../assemble/countersign-server.ts";
import { logLevelFrom } from "../assemble/log-level.ts";
import { pinoLogger } from "../assemble/pino-logger.ts";
import { databaseUrlFrom, dataDirFrom, openStore } from "../open-store.ts";
import { parseOptions } from "../parse-options.ts";
import { watchPolicyFile } from "../policy-watcher.ts";
import { UsageError } from "../usage-error.ts";
import { AUDIT_TRUST_OPTIONS, auditTrustFrom } from "./audit-trust-options.ts";

export async function runServe(args: string[]): Promise<number> {
  const { values } = parseOptions(args, {
    port: { type: "string" },
    host: { type: "string" },
    "data-dir": { type: "string" },
    "database-url": { type: "string" },
    "base-url": { type: "string" },
    "allow-private-webhooks": { type: "boolean" },
    policy: { type: "string" },
    init: { type: "boolean" },
    "log-level": { type: "string" },
    ...AUDIT_TRUST_OPTIONS,
  });
  const port = Number(values.port ?? process.env.PORT ?? 8787);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new UsageError(`--port: not a port: ${values.port}`);
  const host = values.host ?? "127.0.0.1";
  const log = pinoLogger({ level: logLevelFrom(values["log-level"]) });
  // Loaded first: an invalid policy stops the start with its line numbers, before anything opens.
  const policy = values.policy ? await watchPolicyFile(values.policy, log) : null;
  const dataDir = dataDirFrom(values["data-dir"]);
  const databaseUrl = databaseUrlFrom(values["database-url"]);
  const audit = auditTrustFrom(values, databaseUrl ? null : dataDir);
  const { store, describe } = await openStore({
    dataDir,
    databaseUrl,
    create: values.init ? "init" : "if-new",
  });
  const baseUrl = values["base-url"] ?? process.env.COUNTERSIGN_BASE_URL;
  const { server } = await createCountersignServer({
    store,
    log,
    ...(policy && { policy: policy.hook }),
    ...(baseUrl && { baseUrl }),
    ...(audit && { audit }),
    allowPrivateWebhooks: values["allow-private-webhooks"] === true,
  });
  const listening = await listen(server, { port, host });
  const dataFlag = databaseUrl
    ? " --database-url <the same URL>"
    : values["data-dir"]
      ? ` --data-dir ${values["data-dir"]}`
      : "";
  // From a checkout the CLI runs from source through the workspace script; installed, it is `npx countersign`.
  const command = import.meta.url.endsWith(".ts") ? "npx --yes pnpm@10 countersign" : "npx countersign";
  process.stdout.write(
    [
      `Countersign is listening on ${listening.url}  (store: ${describe})`,
      "Create API keys in another terminal:",
      `  ${command} keys create --role agent --identity owner@example.com --agent-id billing-agent${dataFlag}`,
      `  ${command} keys create --role approver --identity you@example.com${dataFlag}`,
      `Pin the public proof keys in your agents: ${command} keys jwks${dataFlag} > countersign-keys.json`,
      `API description: ${listening.url}/openapi.json`,
      "",
    ].join("\n"),
  );
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  policy?.close();
  await listening.close();
  await server.close();
  await store.close();
  return 0;
}
