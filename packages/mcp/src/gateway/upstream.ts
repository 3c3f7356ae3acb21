import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { Notification, ServerCapabilities } from "@modelcontextprotocol/sdk/types.js";

export type UpstreamTransportSpec =
  | { command: string; args?: string[]; env?: Record<string, string>; cwd?: string }
  | { url: string; headers?: Record<string, string> };

/** One upstream MCP server the gateway fronts, mounted under a name (and a tool-name prefix). */
export interface UpstreamSpec {
  name: string;
  /** Prepended to its tool and prompt names as `<prefix>__<name>`; empty for none. */
  prefix: string;
  transport: UpstreamTransportSpec;
}

export interface Upstream {
  name: string;
  prefix: string;
  client: Client;
  capabilities: ServerCapabilities;
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** Notifications the upstream sends on its own (list changes, resource updates, log messages). */
  onNotification(upstream: string, notification: Notification): void;
  /** Called when the upstream's connection ends (its process exited, the HTTP session closed). */
  onClose?(upstream: string): void;
  version: string;
  /** Where a stdio upstream's stderr goes. Default `inherit` (the gateway's stderr). */
  stderr?: "inherit" | "ignore";
}

/**
 * Connects to an upstream as an MCP client. The gateway declares no client
 * capabilities to it: no roots (a filesystem server would let the agent's
 * roots replace its configured folders), no sampling, no elicitation.
 */
export async function connectUpstream(spec: UpstreamSpec, options: ConnectOptions): Promise<Upstream> {
  const client = new Client(
    { name: "countersign-mcp-gateway", version: options.version },
    { capabilities: {} },
  );
  client.fallbackNotificationHandler = async (notification) =>
    options.onNotification(spec.name, notification);
  client.onclose = () => options.onClose?.(spec.name);
  const transport: Transport =
    "command" in spec.transport
      ? new StdioClientTransport({
          command: spec.transport.command,
          args: spec.transport.args ?? [],
          // Only what the config gives, on top of the SDK's safe defaults (HOME, PATH, …): the
          // gateway's own secrets (the Countersign key) never reach the upstream.
          ...(spec.transport.env && { env: spec.transport.env }),
          ...(spec.transport.cwd && { cwd: spec.transport.cwd }),
          stderr: options.stderr ?? "inherit",
        })
      : new StreamableHTTPClientTransport(new URL(spec.transport.url), {
          ...(spec.transport.headers && { requestInit: { headers: spec.transport.headers } }),
        });
  try {
    await client.connect(transport);
  } catch (error) {
    await client.close().catch(() => {});
    const where = "command" in spec.transport ? spec.transport.command : spec.transport.url;
    throw new Error(
      `Cannot connect to upstream "${spec.name}" (${where}): ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  return {
    name: spec.name,
    prefix: spec.prefix,
    client,
    capabilities: client.getServerCapabilities() ?? {},
    close: () => client.close(),
  };
}
