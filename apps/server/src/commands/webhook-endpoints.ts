import { parseDuration } from "@countersign/core/server";
import { type CliCommand, type OptionTable, pick } from "../cli/cli-command.ts";
import { parseOptions } from "../parse-options.ts";
import { SERVER_API_OPTIONS, type ServerApi, serverApi } from "../server-api.ts";
import { UsageError } from "../usage-error.ts";

const ENDPOINT_OPTIONS = {
  url: { type: "string", value: "URL", description: "where events are POSTed (https)" },
  event: {
    type: "string",
    multiple: true,
    value: "EVENT",
    description: "pause.opened, pause.decided, pause.expired or pause.executed (repeatable)",
  },
  "agent-id": { type: "string", value: "ID", description: "only pauses of this agent (a glob is allowed)" },
  "action-type": { type: "string", value: "TYPE", description: "only pauses of this action type (a glob)" },
  description: { type: "string", value: "TEXT", description: "what it is for" },
  grace: {
    type: "string",
    value: "DURATION",
    description: "how long the old secret stays valid, e.g. 1h (default 24h, 0s ends it now)",
  },
  server: SERVER_API_OPTIONS.url,
  key: SERVER_API_OPTIONS.key,
} as const satisfies OptionTable;

const API = ["server", "key"] as const;
const ENDPOINT_ID = { name: "ENDPOINT_ID", description: "the endpoint (whe_…)", required: true };
const ACTIONS = ["create", "list", "disable", "enable", "rotate", "delete"] as const;

/**
 * `countersign webhook-endpoints`: a client of the running server with an
 * admin key (the server's rules and audit apply). `--server` names the
 * server, since `--url` is the endpoint's.
 */
export const webhookEndpointsCommand: CliCommand = {
  name: "webhook-endpoints",
  summary: "Webhook endpoints that receive pause events, through the running server with an admin key",
  description:
    "Each endpoint gets its own whsec_ signing secret, printed once by create and rotate: store it then. Output: one JSON endpoint per line.",
  subcommands: [
    {
      name: "create",
      summary: "Register an endpoint",
      options: pick(ENDPOINT_OPTIONS, "url", "event", "agent-id", "action-type", "description", ...API),
      run: runWebhookEndpoints,
    },
    {
      name: "list",
      summary: "List endpoints (never their secrets)",
      options: pick(ENDPOINT_OPTIONS, ...API),
      run: runWebhookEndpoints,
    },
    {
      name: "disable",
      summary: "Stop sending to an endpoint",
      arguments: [ENDPOINT_ID],
      options: pick(ENDPOINT_OPTIONS, ...API),
      run: runWebhookEndpoints,
    },
    {
      name: "enable",
      summary: "Send to an endpoint again (new events)",
      arguments: [ENDPOINT_ID],
      options: pick(ENDPOINT_OPTIONS, ...API),
      run: runWebhookEndpoints,
    },
    {
      name: "rotate",
      summary: "Give an endpoint a new secret",
      arguments: [ENDPOINT_ID],
      options: pick(ENDPOINT_OPTIONS, "grace", ...API),
      run: runWebhookEndpoints,
    },
    {
      name: "delete",
      summary: "Remove an endpoint",
      arguments: [ENDPOINT_ID],
      options: pick(ENDPOINT_OPTIONS, ...API),
      run: runWebhookEndpoints,
    },
  ],
};

export async function runWebhookEndpoints(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(args, ENDPOINT_OPTIONS);
  const [action, endpointId] = positionals;
  if (!action || !(ACTIONS as readonly string[]).includes(action)) {
    throw new UsageError(`webhook-endpoints needs one of: ${ACTIONS.join(", ")}`);
  }
  if (action !== "create" && action !== "list" && !endpointId) {
    throw new UsageError(`webhook-endpoints ${action} needs an endpoint id`);
  }
  const api = serverApi({ url: values.server, key: values.key });
  const path = `/v1/webhook-endpoints${endpointId ? `/${encodeURIComponent(endpointId)}` : ""}`;
  switch (action) {
    case "create":
      return print(api, "POST", path, createBody(values));
    case "list":
      return print(api, "GET", path);
    case "disable":
    case "enable":
      return print(api, "PATCH", path, { status: `${action}d` });
    case "rotate":
      return print(api, "POST", `${path}/rotate-secret`, rotateBody(values.grace));
    default:
      return print(api, "DELETE", path);
  }
}

function createBody(values: {
  url?: string | undefined;
  event?: string[] | undefined;
  "agent-id"?: string | undefined;
  "action-type"?: string | undefined;
  description?: string | undefined;
}): Record<string, unknown> {
  if (!values.url) throw new UsageError("webhook-endpoints create needs --url");
  if (!values.event?.length) throw new UsageError("webhook-endpoints create needs --event (repeatable)");
  const filter = {
    ...(values["agent-id"] !== undefined && { agent_id: values["agent-id"] }),
    ...(values["action-type"] !== undefined && { action_type: values["action-type"] }),
  };
  return {
    url: values.url,
    events: values.event,
    ...(Object.keys(filter).length > 0 && { filter }),
    ...(values.description !== undefined && { description: values.description }),
  };
}

function rotateBody(grace: string | undefined): Record<string, unknown> {
  if (grace === undefined) return {};
  const seconds = /^0+[smhd]?$/.test(grace.trim()) ? 0 : parseDuration(grace);
  if (seconds === null) throw new UsageError(`--grace: not a duration: ${grace} (e.g. 0s, 15m, 4h, 2d)`);
  return { expires_in: seconds };
}

/** Prints the endpoint (or each of a list) as JSON lines; exit 1 when the server refused. */
async function print(api: ServerApi, method: string, path: string, body?: unknown): Promise<number> {
  const parsed = await api.request(method, path, body);
  if (parsed === null) return 1;
  const items = parsed.object === "list" ? (parsed.data as unknown[]) : [parsed];
  for (const item of items) process.stdout.write(`${JSON.stringify(item)}\n`);
  return 0;
}
