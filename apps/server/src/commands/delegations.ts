import { parseDuration } from "@countersign/core/server";
import { type CliCommand, type OptionTable, pick } from "../cli/cli-command.ts";
import { parseOptions } from "../parse-options.ts";
import { SERVER_API_OPTIONS, type ServerApi, serverApi } from "../server-api.ts";
import { UsageError } from "../usage-error.ts";

const DELEGATION_OPTIONS = {
  to: { type: "string", value: "IDENTITY", description: "the approver who decides in your place" },
  from: {
    type: "string",
    value: "IDENTITY",
    description: "whose approvals (admin keys only; default: the key's identity)",
  },
  for: { type: "string", value: "DURATION", description: "how long from the start, e.g. 5d (at most 90d)" },
  until: { type: "string", value: "ISO_TIME", description: "when it ends, instead of --for" },
  starts: { type: "string", value: "ISO_TIME", description: "when it begins (default: now)" },
  "action-type": {
    type: "string",
    multiple: true,
    value: "TYPE",
    description: "only this action type or glob (repeatable; default: every type)",
  },
  reason: { type: "string", value: "TEXT", description: "why, for the audit log" },
  status: {
    type: "string",
    value: "STATUS",
    description: "only scheduled, active, ended or revoked delegations",
  },
  ...SERVER_API_OPTIONS,
} as const satisfies OptionTable;

const API = ["url", "key"] as const;
const DELEGATION_ID = { name: "DELEGATION_ID", description: "the delegation (dlg_…)", required: true };

/**
 * `countersign delegations`: a client of the running server, so its rules
 * apply — the delegator is the key's identity (an admin may name another),
 * both people must be active approvers, and every change is audited.
 */
export const delegationsCommand: CliCommand = {
  name: "delegations",
  summary: "Hand your approvals to another approver while away, through the running server",
  description:
    "While a delegation is in force, its delegate may decide what policy routes to its delegator; proofs name both (decided_by.on_behalf_of). One hop only, never the requester's own pauses. Output: one JSON delegation per line.",
  subcommands: [
    {
      name: "create",
      summary: "Delegate your approvals for a period",
      options: pick(
        DELEGATION_OPTIONS,
        "to",
        "from",
        "for",
        "until",
        "starts",
        "action-type",
        "reason",
        ...API,
      ),
      run: runDelegations,
    },
    {
      name: "list",
      summary: "List the delegations you gave or received (an admin: all)",
      options: pick(DELEGATION_OPTIONS, "status", ...API),
      run: runDelegations,
    },
    {
      name: "revoke",
      summary: "End a delegation at once (its delegator, its delegate or an admin)",
      arguments: [DELEGATION_ID],
      options: pick(DELEGATION_OPTIONS, "reason", ...API),
      run: runDelegations,
    },
  ],
};

export async function runDelegations(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(args, DELEGATION_OPTIONS);
  const [action, delegationId] = positionals;
  if (!action || !["create", "list", "revoke"].includes(action)) {
    throw new UsageError("delegations needs one of: create, list, revoke");
  }
  if (action === "revoke" && !delegationId) throw new UsageError("delegations revoke needs a delegation id");
  const api = serverApi(values);
  switch (action) {
    case "create":
      return print(api, "POST", "/v1/delegations", createBody(values));
    case "list":
      return print(
        api,
        "GET",
        `/v1/delegations${values.status ? `?status=${encodeURIComponent(values.status)}` : ""}`,
      );
    default:
      return print(
        api,
        "DELETE",
        `/v1/delegations/${encodeURIComponent(delegationId!)}`,
        values.reason ? { reason: values.reason } : undefined,
      );
  }
}

function createBody(values: {
  to?: string | undefined;
  from?: string | undefined;
  for?: string | undefined;
  until?: string | undefined;
  starts?: string | undefined;
  "action-type"?: string[] | undefined;
  reason?: string | undefined;
}): Record<string, unknown> {
  if (!values.to) throw new UsageError("delegations create needs --to IDENTITY");
  if ((values.for === undefined) === (values.until === undefined)) {
    throw new UsageError("delegations create needs one of --for DURATION (e.g. 5d) and --until ISO-TIME");
  }
  const startsAt = values.starts === undefined ? Date.now() : Date.parse(values.starts);
  if (Number.isNaN(startsAt)) throw new UsageError(`--starts: not an ISO time: ${values.starts}`);
  const body: Record<string, unknown> = { to: values.to };
  if (values.from !== undefined) body.from = values.from;
  if (values.starts !== undefined) body.starts_at = new Date(startsAt).toISOString();
  if (values.for !== undefined) {
    const seconds = parseDuration(values.for);
    if (seconds === null) throw new UsageError(`--for: not a duration: ${values.for} (e.g. 8h, 5d)`);
    body.ends_at = new Date(startsAt + seconds * 1000).toISOString();
  } else {
    body.ends_at = values.until;
  }
  if (values["action-type"]?.length) body.action_types = values["action-type"];
  if (values.reason !== undefined) body.reason = values.reason;
  return body;
}

/** Prints the delegation (or each of a list) as JSON lines; exit 1 when the server refused. */
async function print(api: ServerApi, method: string, path: string, body?: unknown): Promise<number> {
  const parsed = await api.request(method, path, body);
  if (parsed === null) return 1;
  const items = parsed.object === "list" ? (parsed.data as unknown[]) : [parsed];
  for (const item of items) process.stdout.write(`${JSON.stringify(item)}\n`);
  return 0;
}
