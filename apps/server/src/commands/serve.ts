import { type Logger, listen, type Store } from "@countersign/core/server";
import { logLevelFrom } from "../assemble/log-level.ts";
import { listenForMetrics } from "../assemble/metrics-listener.ts";
import { pinoLogger } from "../assemble/pino-logger.ts";
import type { CliCommand, OptionTable } from "../cli/cli-command.ts";
import { applyConfig, loadConfigFile } from "../config/config-file.ts";
import { databaseUrlFrom, dataDirFrom, openStore } from "../open-store.ts";
import { parseOptions } from "../parse-options.ts";
import { watchPolicyFile } from "../policy-watcher.ts";
import { UsageError } from "../usage-error.ts";
import { AUDIT_TRUST_OPTIONS, auditTrustFrom } from "./audit-trust-options.ts";
import { STORE_OPTIONS } from "./store-options.ts";

const SERVE_OPTIONS = {
  config: {
    type: "string",
    value: "countersign.yaml",
    description:
      "read settings from this file (or COUNTERSIGN_CONFIG); environment variables and flags win over it",
  },
  port: { type: "string", value: "PORT", description: "the port (default 8787, or PORT)" },
  host: {
    type: "string",
    value: "HOST",
    description: "the address to listen on (default 127.0.0.1, or COUNTERSIGN_HOST)",
  },
  "base-url": {
    type: "string",
    value: "URL",
    description: "the public URL, for links in e-mails and cards (or COUNTERSIGN_BASE_URL)",
  },
  "data-dir": STORE_OPTIONS["data-dir"],
  "database-url": STORE_OPTIONS["database-url"],
  init: {
    type: "boolean",
    description:
      "start a new store even where one was lost (deleted or replaced); a new directory needs no --init",
  },
  policy: {
    type: "string",
    value: "POLICY.yaml",
    description: "route and decide pauses by this policy; reloaded on change (or COUNTERSIGN_POLICY)",
  },
  "allow-private-webhooks": {
    type: "boolean",
    description:
      "allow webhook URLs on private and loopback addresses (or COUNTERSIGN_ALLOW_PRIVATE_WEBHOOKS=1)",
  },
  "metrics-port": {
    type: "string",
    value: "PORT",
    description:
      "also serve GET /metrics without a key on this port, bound to --metrics-host (or COUNTERSIGN_METRICS_PORT)",
  },
  "metrics-host": {
    type: "string",
    value: "HOST",
    description: "the address of the metrics port (default 127.0.0.1, or COUNTERSIGN_METRICS_HOST)",
  },
  "log-level": {
    type: "string",
    value: "LEVEL",
    description: "fatal, error, warn, info, debug, trace or silent (default info, or COUNTERSIGN_LOG_LEVEL)",
  },
  ...AUDIT_TRUST_OPTIONS,
} as const satisfies OptionTable;

/** `countersign serve`. */
export const serveCommand: CliCommand = {
  name: "serve",
  summary: "Run the approval server: API, inbox, Slack, Teams and e-mail, one process",
  description:
    "Every setting can come from a config file (--config countersign.yaml), from its environment variable, or from a flag; a flag wins over the variable, the variable over the file. See the README for the file's fields.",
  options: SERVE_OPTIONS,
  run: runServe,
};

export async function runServe(args: string[]): Promise<number> {
  const { values } = parseOptions(args, SERVE_OPTIONS);
  const configFile = values.config ?? process.env.COUNTERSIGN_CONFIG;
  // The file's settings join the environment beneath what is already set there.
  if (configFile) applyConfig(await loadConfigFile(configFile));
  const port = Number(values.port ?? process.env.PORT ?? 8787);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new UsageError(`--port: not a port: ${values.port ?? process.env.PORT}`);
  const host = values.host ?? process.env.COUNTERSIGN_HOST ?? "127.0.0.1";
  const metricsPortText = values["metrics-port"] ?? process.env.COUNTERSIGN_METRICS_PORT;
  const metricsPort = metricsPortText === undefined ? null : Number(metricsPortText);
  if (metricsPort !== null && (!Number.isInteger(metricsPort) || metricsPort < 0 || metricsPort > 65_535))
    throw new UsageError(`--metrics-port: not a port: ${metricsPortText}`);
  const log = pinoLogger({ level: logLevelFrom(values["log-level"]) });
  // Loaded first: an invalid policy stops the start with its line numbers, before anything opens.
  const policyFile = values.policy ?? process.env.COUNTERSIGN_POLICY;
  const policy = policyFile ? await watchPolicyFile(policyFile, log) : null;
  const dataDir = dataDirFrom(values["data-dir"]);
  const databaseUrl = databaseUrlFrom(values["database-url"]);
  const audit = auditTrustFrom(values, databaseUrl ? null : dataDir);
  const { store, describe } = await openStore({
    dataDir,
    databaseUrl,
    create: values.init ? "init" : "if-new",
  });
  const baseUrl = values["base-url"] ?? process.env.COUNTERSIGN_BASE_URL;
  // Loaded here: the channels' SDKs (Slack, Teams, SMTP) and the inbox would slow every other command's start.
  const { createCountersignServer } = await import("../assemble/countersign-server.ts");
  const { server, email } = await createCountersignServer({
    store,
    log,
    ...(policy && { policy: policy.hook }),
    ...(baseUrl && { baseUrl }),
    ...(audit && { audit }),
    allowPrivateWebhooks: values["allow-private-webhooks"] === true,
  });
  if (!email) await warnIfEmailSignInMissing(store, log);
  const listening = await listen(server, { port, host });
  const metrics =
    metricsPort === null
      ? null
      : await listenForMetrics(server, {
          port: metricsPort,
          host: values["metrics-host"] ?? process.env.COUNTERSIGN_METRICS_HOST ?? "127.0.0.1",
        });
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
      metrics
        ? `Metrics without a key on ${metrics.url} (and ${listening.url}/metrics with an admin key)`
        : `Metrics: ${listening.url}/metrics with an admin key`,
      "",
    ].join("\n"),
  );
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  policy?.close();
  await metrics?.close();
  await listening.close();
  await server.close();
  await store.close();
  return 0;
}

/**
 * Approvers with an e-mail address could sign in by link, but without SMTP
 * the inbox offers key sign-in only: say so at start, not when someone waits for a mail.
 */
async function warnIfEmailSignInMissing(store: Store, log: { warn: Logger["info"] }): Promise<void> {
  const withEmail = (await store.listIdentities()).filter((identity) => identity.email).length;
  if (withEmail === 0) return;
  log.warn("e-mail sign-in and e-mail approvals are off: SMTP is not configured", {
    approvers_with_email: withEmail,
    fix: "set COUNTERSIGN_SMTP_URL and COUNTERSIGN_SMTP_FROM (or smtp.url and smtp.from in the config file); until then the inbox offers sign-in with a key only",
  });
}
