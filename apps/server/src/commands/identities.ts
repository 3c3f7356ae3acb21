import { isCountersignError } from "@countersign/core";
import { renderIdentity, saveIdentity } from "@countersign/core/server";
import { type CliCommand, type OptionTable, pick } from "../cli/cli-command.ts";
import { parseOptions } from "../parse-options.ts";
import { UsageError } from "../usage-error.ts";
import { openStoreFrom, STORE_OPTIONS } from "./store-options.ts";

/** Approver identities: `list`, `get ID`, `put ID [--email] [--slack-user] [--teams-user] [--name] [--group G]…`, `remove ID`. */
const IDENTITY_OPTIONS = {
  email: {
    type: "string",
    value: "EMAIL",
    description: "where decision e-mails and sign-in links go (default: the id, if it is one)",
  },
  "slack-user": { type: "string", value: "USER_ID", description: "the approver's Slack user id (U…)" },
  "teams-user": {
    type: "string",
    value: "OBJECT_ID",
    description: "the approver's Microsoft Entra object id",
  },
  name: { type: "string", value: "TEXT", description: "a display name" },
  group: { type: "string", multiple: true, value: "GROUP", description: "a group policy rules can route to" },
  ...STORE_OPTIONS,
} as const satisfies OptionTable;

const STORE = Object.keys(STORE_OPTIONS) as (keyof typeof STORE_OPTIONS)[];
const IDENTITY = { name: "ID", description: "the approver's identity (usually an e-mail)", required: true };

/** `countersign identities …`: the approvers the server knows. */
export const identitiesCommand: CliCommand = {
  name: "identities",
  summary: "Approver identities: e-mail, Slack and Teams ids, groups",
  subcommands: [
    {
      name: "list",
      summary: "List identities (JSON Lines)",
      options: pick(IDENTITY_OPTIONS, ...STORE),
      run: runIdentities,
    },
    {
      name: "get",
      summary: "Show one identity",
      arguments: [IDENTITY],
      options: pick(IDENTITY_OPTIONS, ...STORE),
      run: runIdentities,
    },
    {
      name: "put",
      summary: "Create or replace an identity",
      arguments: [IDENTITY],
      options: IDENTITY_OPTIONS,
      run: runIdentities,
    },
    {
      name: "remove",
      summary: "Remove an identity: it decides nothing more, and its sessions end",
      arguments: [IDENTITY],
      options: pick(IDENTITY_OPTIONS, ...STORE),
      run: runIdentities,
    },
  ],
};

export async function runIdentities(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(args, IDENTITY_OPTIONS);
  const [action, identity] = positionals;
  if (!action || !["list", "get", "put", "remove"].includes(action)) {
    throw new UsageError("identities needs one of: list, get, put, remove");
  }
  if (action !== "list" && !identity) throw new UsageError(`identities ${action} needs an identity (e-mail)`);
  const store = await openStoreFrom(values);
  try {
    switch (action) {
      case "list":
        for (const record of await store.listIdentities())
          process.stdout.write(`${JSON.stringify(renderIdentity(record))}\n`);
        return 0;
      case "get": {
        const record = await store.getIdentity(identity!);
        if (!record) return notFound(identity!);
        process.stdout.write(`${JSON.stringify(renderIdentity(record))}\n`);
        return 0;
      }
      case "put": {
        const input = {
          email: values.email ?? (identity!.includes("@") ? identity : null),
          slack_user_id: values["slack-user"] ?? null,
          teams_user_id: values["teams-user"] ?? null,
          display_name: values.name ?? null,
          groups: values.group ?? [],
        };
        try {
          const { record } = await saveIdentity(store, identity!, input, new Date());
          process.stdout.write(`${JSON.stringify(renderIdentity(record))}\n`);
          return 0;
        } catch (error) {
          if (isCountersignError(error, "invalid_request")) throw new UsageError(error.message);
          throw error;
        }
      }
      default: {
        if (!(await store.deleteIdentity(identity!))) return notFound(identity!);
        process.stdout.write(`removed ${identity}\n`);
        return 0;
      }
    }
  } finally {
    await store.close();
  }
}

function notFound(identity: string): number {
  process.stderr.write(`No identity ${identity}\n`);
  return 1;
}
