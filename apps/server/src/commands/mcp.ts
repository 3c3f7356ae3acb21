import { isCountersignError } from "@countersign/core";
import { parseOptions } from "../parse-options.ts";
import { UsageError } from "../usage-error.ts";

export const MCP_USAGE = `countersign mcp — human approvals for MCP agents

Usage:
  countersign mcp gateway (--upstream "[NAME=]<command …>" | --upstream-url [NAME=]URL)... [--policy GATEWAY.yaml]
                          [--http PORT [--host 127.0.0.1]] [--countersign-url URL] [--jwks KEYS.json]
                          [--trust-server-keys] [--session-id ID]
      Sits between an MCP client and the upstream servers: allowed tools pass through (masked),
      denied ones never run, the rest run only after a verified, claimed Countersign approval.
      Several upstreams are mounted as <NAME>__<tool>. Serves stdio unless --http is given.
  countersign mcp approvals [--http PORT [--host 127.0.0.1]] [--countersign-url URL] [--jwks KEYS.json]
                          [--trust-server-keys] [--agent-id ID] [--wait SECONDS]
      The approval tools for agents that gate themselves: request_approval, get_approval,
      cancel_approval, claim_approval.

Environment: COUNTERSIGN_URL, COUNTERSIGN_AGENT_KEY (stdio; over HTTP each client sends its key as
Bearer token), COUNTERSIGN_JWKS (a JWKS file or its JSON: \`countersign keys jwks\` prints it),
COUNTERSIGN_TRUST_SERVER_KEYS=1 (verify with keys fetched from the server instead: not recommended),
COUNTERSIGN_AGENT_ID (approvals).
`;

/** `countersign mcp gateway|approvals`: its own parsing, so the CLI can move onto a library later. */
export async function runMcp(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (!sub || sub === "help" || sub === "--help" || sub === "-h") {
    process.stdout.write(MCP_USAGE);
    return sub ? 0 : 2;
  }
  try {
    if (sub === "gateway") return await runGateway(rest);
    if (sub === "approvals") return await runApprovals(rest);
  } catch (error) {
    // Config and flag mistakes (they name the field) are usage errors: exit 2, no stack.
    if (isCountersignError(error, "invalid_request")) throw new UsageError(error.message);
    throw error;
  }
  throw new UsageError(`unknown mcp command ${sub} (gateway or approvals)`);
}

/** Loaded on use: every other command starts without the MCP SDK. */
function loadMcp() {
  return import("@countersign/mcp");
}

const COMMON = {
  http: { type: "string" },
  host: { type: "string" },
  "countersign-url": { type: "string" },
  jwks: { type: "string" },
  "trust-server-keys": { type: "boolean" },
} as const;

async function runGateway(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(args, {
    ...COMMON,
    upstream: { type: "string", multiple: true },
    "upstream-url": { type: "string", multiple: true },
    policy: { type: "string" },
    "session-id": { type: "string" },
  });
  if (positionals.length > 0)
    throw new UsageError(`unexpected ${positionals.join(" ")} (quote the upstream command)`);
  const { startGateway } = await loadMcp();
  const running = await startGateway({
    ...(values.policy && { configFile: values.policy }),
    upstreams: { commands: values.upstream ?? [], urls: values["upstream-url"] ?? [] },
    ...common(values),
    ...(values["session-id"] && { sessionId: values["session-id"] }),
  });
  return serveUntilDone(running, "gateway");
}

async function runApprovals(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(args, {
    ...COMMON,
    "agent-id": { type: "string" },
    wait: { type: "string" },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected ${positionals.join(" ")}`);
  const wait = values.wait === undefined ? undefined : Number(values.wait);
  if (wait !== undefined && (!Number.isInteger(wait) || wait < 0))
    throw new UsageError(`--wait: not a number of seconds: ${values.wait}`);
  const { startApprovalServer } = await loadMcp();
  const running = await startApprovalServer({
    ...common(values),
    ...(values["agent-id"] && { agentId: values["agent-id"] }),
    ...(wait !== undefined && { waitSeconds: wait }),
  });
  return serveUntilDone(running, "approvals");
}

function common(values: {
  http?: string | undefined;
  host?: string | undefined;
  "countersign-url"?: string | undefined;
  jwks?: string | undefined;
  "trust-server-keys"?: boolean | undefined;
}) {
  let http: { port: number; host?: string } | undefined;
  if (values.http !== undefined) {
    const port = Number(values.http);
    if (!Number.isInteger(port) || port < 0 || port > 65_535)
      throw new UsageError(`--http: not a port: ${values.http}`);
    http = { port, ...(values.host && { host: values.host }) };
  } else if (values.host) {
    throw new UsageError("--host only applies with --http");
  }
  return {
    ...(http && { http }),
    ...(values["countersign-url"] && { countersignUrl: values["countersign-url"] }),
    ...(values.jwks && { jwks: values.jwks }),
    ...(values["trust-server-keys"] && { trustServerKeys: true }),
  };
}

/** stdio: until the client goes away. HTTP: until SIGINT or SIGTERM. stdout belongs to MCP: messages go to stderr. */
async function serveUntilDone(
  running: { http?: { url: string } | undefined; done: Promise<void>; close(): Promise<void> },
  what: string,
): Promise<number> {
  if (!running.http) {
    await running.done;
    return 0;
  }
  process.stderr.write(
    `countersign mcp ${what}: serving MCP on ${running.http.url} (Bearer: a Countersign agent key)\n`,
  );
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await running.close();
  return 0;
}
