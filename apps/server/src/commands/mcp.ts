import { isCountersignError } from "@countersign/core";
import type { CliCommand, OptionTable } from "../cli/cli-command.ts";
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
  http: {
    type: "string",
    value: "PORT",
    description: "serve MCP over Streamable HTTP on this port (default: stdio)",
  },
  host: {
    type: "string",
    value: "HOST",
    description: "with --http: the address to listen on (default 127.0.0.1)",
  },
  "countersign-url": {
    type: "string",
    value: "URL",
    description: "the Countersign server (or COUNTERSIGN_URL)",
  },
  jwks: {
    type: "string",
    value: "KEYS.json",
    description: "the server's pinned public keys, a file or its JSON (or COUNTERSIGN_JWKS)",
  },
  "trust-server-keys": {
    type: "boolean",
    description: "verify with keys fetched from the server instead of pinned ones (not recommended)",
  },
} as const satisfies OptionTable;

const GATEWAY_OPTIONS = {
  ...COMMON,
  upstream: {
    type: "string",
    multiple: true,
    value: '"[NAME=]COMMAND …"',
    description: "an upstream MCP server to start over stdio",
  },
  "upstream-url": {
    type: "string",
    multiple: true,
    value: "[NAME=]URL",
    description: "an upstream MCP server over HTTP",
  },
  policy: {
    type: "string",
    value: "GATEWAY.yaml",
    description: "which tools are allowed, denied or need approval",
  },
  "session-id": { type: "string", value: "ID", description: "names this session in pauses (stdio)" },
} as const satisfies OptionTable;

const APPROVALS_OPTIONS = {
  ...COMMON,
  "agent-id": {
    type: "string",
    value: "ID",
    description: "the agent id pauses are opened as (or COUNTERSIGN_AGENT_ID)",
  },
  wait: { type: "string", value: "SECONDS", description: "how long request_approval waits for a decision" },
} as const satisfies OptionTable;

/** `countersign mcp gateway|approvals`. */
export const mcpCommand: CliCommand = {
  name: "mcp",
  summary: "MCP: a gateway that enforces approvals, or approval tools for self-gating agents",
  description: MCP_USAGE.slice(MCP_USAGE.indexOf("Usage:")),
  subcommands: [
    {
      name: "gateway",
      summary:
        "Sit between an MCP client and upstream servers; gated tools run only after a verified approval",
      options: GATEWAY_OPTIONS,
      run: runMcp,
    },
    {
      name: "approvals",
      summary: "The approval tools (request_approval, get_approval, cancel_approval, claim_approval)",
      options: APPROVALS_OPTIONS,
      run: runMcp,
    },
  ],
};

async function runGateway(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(args, GATEWAY_OPTIONS);
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
  const { values, positionals } = parseOptions(args, APPROVALS_OPTIONS);
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
