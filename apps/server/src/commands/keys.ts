import { isCountersignError } from "@countersign/core";
import {
  checkKeyBinding,
  createApprovalServer,
  issueApiKey,
  rotateSigningKey,
  silentLogger,
} from "@countersign/core/server";
import { type CliCommand, type OptionTable, pick } from "../cli/cli-command.ts";
import { parseOptions } from "../parse-options.ts";
import { UsageError } from "../usage-error.ts";
import { openStoreFrom, STORE_OPTIONS } from "./store-options.ts";

const ROLES = ["agent", "approver", "admin", "executor"] as const;

const KEYS_OPTIONS = {
  role: {
    type: "string",
    value: "ROLE",
    description: "agent, approver, admin or executor (claims and reports receipts only)",
  },
  identity: {
    type: "string",
    value: "EMAIL",
    description: "who holds the key: an approver's e-mail, or the person who owns the agent",
  },
  name: { type: "string", value: "TEXT", description: "a label for the key" },
  "agent-id": {
    type: "string",
    multiple: true,
    value: "ID",
    description:
      "agent keys: an agent id the key may open pauses as (exact, or a glob such as 'billing-*'; '*' for any)",
  },
  "action-type": {
    type: "string",
    multiple: true,
    value: "TYPE",
    description: "agent keys: an action type the key may ask about (default: any)",
  },
  ...STORE_OPTIONS,
} as const satisfies OptionTable;

const STORE = Object.keys(STORE_OPTIONS) as (keyof typeof STORE_OPTIONS)[];

/** `countersign keys …`: API keys and the server's signing keys. */
export const keysCommand: CliCommand = {
  name: "keys",
  summary: "API keys, and the server's proof keys and secrets",
  subcommands: [
    {
      name: "create",
      summary: "Create an API key (printed once as JSON; only its hash is kept)",
      description:
        "Agent keys need --identity (the owner, who can never approve their agent's requests) and at least one --agent-id. Approver and admin keys need --identity (an e-mail).",
      options: pick(KEYS_OPTIONS, "role", "identity", "agent-id", "action-type", "name", ...STORE),
      run: runKeys,
    },
    {
      name: "update",
      summary: "Bind a key to a holder, agent ids or action types (keys made before keys were bound)",
      arguments: [{ name: "KEY_ID", description: "the key's id (keys list)", required: true }],
      options: pick(KEYS_OPTIONS, "identity", "agent-id", "action-type", ...STORE),
      run: runKeys,
    },
    {
      name: "list",
      summary: "List keys (never the keys themselves)",
      options: pick(KEYS_OPTIONS, ...STORE),
      run: runKeys,
    },
    {
      name: "revoke",
      summary: "Revoke a key: every use of it ends within seconds (API calls, inbox sessions, streams)",
      arguments: [{ name: "KEY_ID", description: "the key's id (keys list)", required: true }],
      options: pick(KEYS_OPTIONS, ...STORE),
      run: runKeys,
    },
    {
      name: "rotate",
      summary: "A new Ed25519 signing key; old public keys stay published",
      options: pick(KEYS_OPTIONS, ...STORE),
      run: runKeys,
    },
    {
      name: "jwks",
      summary: "The public keys that verify proofs: save them and pin them in agents and verifiers",
      options: pick(KEYS_OPTIONS, ...STORE),
      run: runKeys,
    },
    {
      name: "secrets",
      summary: "The proof and webhook secrets (keep them secret)",
      options: pick(KEYS_OPTIONS, ...STORE),
      run: runKeys,
    },
  ],
};

export async function runKeys(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(args, KEYS_OPTIONS);
  const [action, ...rest] = positionals;
  const store = await openStoreFrom(values);
  try {
    switch (action) {
      case "create": {
        const role = values.role as (typeof ROLES)[number] | undefined;
        if (!role || !ROLES.includes(role))
          throw new UsageError("--role must be agent, approver, admin or executor");
        if (!values.identity) {
          throw new UsageError(
            role === "agent"
              ? "an agent key needs --identity (the person who owns the agent; they can never approve its requests)"
              : role === "executor"
                ? "an executor key needs --identity (the service that holds it, e.g. payments-service)"
                : `an ${role} key needs --identity (e-mail)`,
          );
        }
        if (role === "agent" && !values["agent-id"]?.length) {
          throw new UsageError(
            "an agent key needs --agent-id (repeatable; exact ids or globs such as 'billing-*')",
          );
        }
        const { key, record } = await asUsage(() =>
          issueApiKey(store, {
            role,
            identity: values.identity!,
            name: values.name ?? null,
            ...(values["agent-id"] && { agentIds: values["agent-id"] }),
            ...(values["action-type"] && { actionTypes: values["action-type"] }),
            now: new Date(),
          }),
        );
        process.stdout.write(
          `${JSON.stringify({ key_id: record.keyId, role, identity: record.identity, ...(record.agentIds && { agent_ids: record.agentIds }), ...(record.actionTypes && { action_types: record.actionTypes }), key })}\n`,
        );
        process.stderr.write("Store this key now: it is shown once and only its hash is kept.\n");
        return 0;
      }
      case "update": {
        // The migration path for agent keys made before keys were bound to agent ids.
        const keyId = rest[0];
        if (!keyId) throw new UsageError("keys update needs a KEY_ID");
        const current = (await store.listApiKeys()).find((key) => key.keyId === keyId);
        if (!current || current.revokedAt !== null) {
          process.stderr.write(`No live key ${keyId}\n`);
          return 1;
        }
        const identity = values.identity ?? current.identity;
        if (!identity) throw new UsageError("this key has no holder yet: give --identity");
        const binding = await asUsage(async () =>
          checkKeyBinding(current.role, {
            identity,
            agentIds: values["agent-id"] ?? current.agentIds,
            actionTypes: values["action-type"] ?? current.actionTypes,
          }),
        );
        await store.updateApiKeyBinding(keyId, binding);
        const { hash: _hash, ...shown } = { ...current, ...binding };
        process.stdout.write(`${JSON.stringify(shown)}\n`);
        return 0;
      }
      case "list": {
        for (const key of await store.listApiKeys()) {
          const { hash: _hash, ...shown } = key;
          process.stdout.write(`${JSON.stringify(shown)}\n`);
        }
        return 0;
      }
      case "revoke": {
        const keyId = rest[0];
        if (!keyId) throw new UsageError("keys revoke needs a KEY_ID");
        if (!(await store.revokeApiKey(keyId, new Date().toISOString()))) {
          process.stderr.write(`No key ${keyId}\n`);
          return 1;
        }
        process.stdout.write(`revoked ${keyId}\n`);
        return 0;
      }
      case "rotate": {
        // A key given in the environment lives there; rotating the stored one would change nothing.
        const { retired, current } = await rotateSigningKey(store);
        process.stdout.write(`${JSON.stringify({ retired_kid: retired.kid, current_kid: current.kid })}\n`);
        process.stderr.write(
          "Restart every server on this store to sign with the new key. GET /v1/keys now lists both; give verifiers that pinned the old set the new one (countersign keys jwks).\n",
        );
        return 0;
      }
      case "jwks":
      case "secrets": {
        // Loading the server (without background work) reads, or creates once, the stored keys.
        const server = await createApprovalServer({ store, log: silentLogger, background: false });
        const shown =
          action === "jwks"
            ? server.jwks
            : { proof_secret: server.secrets.proofSecret, webhook_secret: server.secrets.webhookSecret };
        await server.close();
        process.stdout.write(`${JSON.stringify(shown, null, 2)}\n`);
        return 0;
      }
      default:
        throw new UsageError("keys needs one of: create, update, list, revoke, rotate, jwks, secrets");
    }
  } finally {
    await store.close();
  }
}

/** A refused key (e.g. a malformed agent id) is a mistake on the command line: exit 2 with the reason. */
async function asUsage<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isCountersignError(error, "invalid_request")) throw new UsageError(error.message);
    throw error;
  }
}
