import { parseDuration } from "@countersign/core/server";
import { parseOptions } from "../parse-options.ts";
import { SERVER_API_OPTIONS, type ServerApi, serverApi } from "../server-api.ts";
import { UsageError } from "../usage-error.ts";

export const GRANTS_USAGE = `countersign grants — standing approvals, through a running server with an approver key

  countersign grants create --agent-id ID... --action-type TYPE [--when CONDITION]...
                    [--max-count N] [--max-total FIELD=MAX] (--for DURATION | --until ISO) [--reason TEXT]
  countersign grants list [--status active|exhausted|expired|revoked]
  countersign grants get GRANT_ID
  countersign grants revoke GRANT_ID [--reason TEXT]

  --url URL (or COUNTERSIGN_URL, default http://127.0.0.1:8787), --key KEY (or COUNTERSIGN_API_KEY):
  the grantor is the key's identity. Output: one JSON grant per line.
`;

/**
 * `countersign grants`: a client of the running server, not of its store, so
 * the server's rules apply — the grantor is the key's identity, the policy's
 * maximum duration caps the expiry, and every change is audited.
 */
export async function runGrants(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(args, {
    "agent-id": { type: "string", multiple: true },
    "action-type": { type: "string" },
    when: { type: "string", multiple: true },
    "max-count": { type: "string" },
    "max-total": { type: "string" },
    for: { type: "string" },
    until: { type: "string" },
    reason: { type: "string" },
    status: { type: "string" },
    ...SERVER_API_OPTIONS,
    help: { type: "boolean" },
  });
  const [action, grantId] = positionals;
  if (values.help) {
    process.stdout.write(GRANTS_USAGE);
    return 0;
  }
  if (!action || !["create", "list", "get", "revoke"].includes(action)) {
    throw new UsageError(`grants needs one of: create, list, get, revoke\n\n${GRANTS_USAGE}`);
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
