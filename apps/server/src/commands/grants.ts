import { parseDuration } from "@countersign/core/server";
import { type CliCommand, type OptionTable, pick } from "../cli/cli-command.ts";
import { parseOptions } from "../parse-options.ts";
import { SERVER_API_OPTIONS, type ServerApi, serverApi } from "../server-api.ts";
import { UsageError } from "../usage-error.ts";

const GRANT_OPTIONS = {
  "agent-id": {
    type: "string",
    multiple: true,
    value: "ID",
    description: "an agent id or glob it covers (repeatable)",
  },
  "action-type": { type: "string", value: "TYPE", description: "the action type (a glob is allowed)" },
  when: {
    type: "string",
    multiple: true,
    value: "CONDITION",
    description: "a condition on action.data, e.g. 'amount <= 200' (repeatable; all must hold)",
  },
  "max-count": { type: "string", value: "N", description: "how many pauses it may approve" },
  "max-total": {
    type: "string",
    value: "FIELD=MAX",
    description: "a ceiling on the sum of a numeric field, e.g. amount=2000",
  },
  for: { type: "string", value: "DURATION", description: "how long, e.g. 1h (at most the policy's maximum)" },
  until: { type: "string", value: "ISO_TIME", description: "when it ends, instead of --for" },
  reason: { type: "string", value: "TEXT", description: "why, for the audit log" },
  status: {
    type: "string",
    value: "STATUS",
    description: "only active, exhausted, expired or revoked grants",
  },
  ...SERVER_API_OPTIONS,
} as const satisfies OptionTable;

const API = ["url", "key"] as const;
const GRANT_ID = { name: "GRANT_ID", description: "the grant (grt_…)", required: true };

/**
 * `countersign grants`: a client of the running server, not of its store, so
 * the server's rules apply — the grantor is the key's identity, the policy's
 * maximum duration caps the expiry, and every change is audited.
 */
export const grantsCommand: CliCommand = {
  name: "grants",
  summary: "Standing approvals, through the running server with an approver key",
  description:
    "A grant approves future pauses that fit it (agents, action type, conditions), up to a count and a total, until it expires or is revoked. The grantor is the key's identity. Output: one JSON grant per line.",
  subcommands: [
    {
      name: "create",
      summary: "Grant a standing approval",
      options: pick(
        GRANT_OPTIONS,
        "agent-id",
        "action-type",
        "when",
        "max-count",
        "max-total",
        "for",
        "until",
        "reason",
        ...API,
      ),
      run: runGrants,
    },
    {
      name: "list",
      summary: "List grants with what is left of them",
      options: pick(GRANT_OPTIONS, "status", ...API),
      run: runGrants,
    },
    {
      name: "get",
      summary: "Show one grant",
      arguments: [GRANT_ID],
      options: pick(GRANT_OPTIONS, ...API),
      run: runGrants,
    },
    {
      name: "revoke",
      summary: "Revoke a grant at once (its grantor or an admin)",
      arguments: [GRANT_ID],
      options: pick(GRANT_OPTIONS, "reason", ...API),
      run: runGrants,
    },
  ],
};

export async function runGrants(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(args, GRANT_OPTIONS);
  const [action, grantId] = positionals;
  if (!action || !["create", "list", "get", "revoke"].includes(action)) {
    throw new UsageError("grants needs one of: create, list, get, revoke");
  }
  if ((action === "get" || action === "revoke") && !grantId)
    throw new UsageError(`grants ${action} needs a grant id`);
  const api = serverApi(values);
  switch (action) {
    case "create":
      return print(api, "POST", "/v1/grants", createBody(values));
    case "list":
      return print(
        api,
        "GET",
        `/v1/grants${values.status ? `?status=${encodeURIComponent(values.status)}` : ""}`,
      );
    case "get":
      return print(api, "GET", `/v1/grants/${encodeURIComponent(grantId!)}`);
    default:
      return print(
        api,
        "DELETE",
        `/v1/grants/${encodeURIComponent(grantId!)}`,
        values.reason ? { reason: values.reason } : undefined,
      );
  }
}

function createBody(values: {
  "agent-id"?: string[] | undefined;
  "action-type"?: string | undefined;
  when?: string[] | undefined;
  "max-count"?: string | undefined;
  "max-total"?: string | undefined;
  for?: string | undefined;
  until?: string | undefined;
  reason?: string | undefined;
}): Record<string, unknown> {
  if (!values["agent-id"]?.length) throw new UsageError("grants create needs --agent-id (ids or globs)");
  if (!values["action-type"]) throw new UsageError("grants create needs --action-type");
  if ((values.for === undefined) === (values.until === undefined)) {
    throw new UsageError("grants create needs one of --for DURATION (e.g. 1h) and --until ISO-TIME");
  }
  const body: Record<string, unknown> = {
    agent_ids: values["agent-id"],
    action_type: values["action-type"],
  };
  if (values.when?.length) body.conditions = values.when;
  if (values["max-count"] !== undefined) {
    const count = Number(values["max-count"]);
    if (!Number.isInteger(count) || count < 1) throw new UsageError("--max-count must be a whole number ≥ 1");
    body.max_count = count;
  }
  if (values["max-total"] !== undefined) {
    const match = /^([A-Za-z_][\w.-]*)\s*=\s*(\S+)$/.exec(values["max-total"]);
    const max = match ? Number(match[2]) : Number.NaN;
    if (!match || !Number.isFinite(max) || max <= 0) {
      throw new UsageError("--max-total is FIELD=MAX, e.g. amount=2000");
    }
    body.max_total = { field: match[1], max };
  }
  if (values.for !== undefined) {
    const seconds = parseDuration(values.for);
    if (seconds === null)
      throw new UsageError(`--for: not a duration: ${values.for} (e.g. 90s, 15m, 4h, 2d)`);
    body.expires_in = seconds;
  } else {
    body.expires_at = values.until;
  }
  if (values.reason !== undefined) body.reason = values.reason;
  return body;
}

/** Prints the grant (or each grant of a list) as JSON lines; exit 1 when the server refused. */
async function print(api: ServerApi, method: string, path: string, body?: unknown): Promise<number> {
  const parsed = await api.request(method, path, body);
  if (parsed === null) return 1;
  const items = parsed.object === "list" ? (parsed.data as unknown[]) : [parsed];
  for (const item of items) process.stdout.write(`${JSON.stringify(item)}\n`);
  return 0;
}
