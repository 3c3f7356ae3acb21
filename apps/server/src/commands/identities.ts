import { isCountersignError } from "@countersign/core";
import { renderIdentity, saveIdentity } from "@countersign/core/server";
import { parseOptions } from "../parse-options.ts";
import { UsageError } from "../usage-error.ts";
import { openStoreFrom, STORE_OPTIONS } from "./store-options.ts";

/** Approver identities: `list`, `get ID`, `put ID [--email] [--slack-user] [--teams-user] [--name] [--group G]…`, `remove ID`. */
export async function runIdentities(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(args, {
    email: { type: "string" },
    "slack-user": { type: "string" },
    "teams-user": { type: "string" },
    name: { type: "string" },
    group: { type: "string", multiple: true },
    ...STORE_OPTIONS,
  });
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
