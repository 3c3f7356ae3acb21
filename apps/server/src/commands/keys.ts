import { isCountersignError } from "@countersign/core";
import {
  checkKeyBinding,
  createApprovalServer,
  issueApiKey,
  rotateSigningKey,
  silentLogger,
} from "@countersign/core/server";
import { parseOptions } from "../parse-options.ts";
import { UsageError } from "../usage-error.ts";
import { openStoreFrom, STORE_OPTIONS } from "./store-options.ts";

const ROLES = ["agent", "approver", "admin", "executor"] as const;

export async function runKeys(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(args, {
    role: { type: "string" },
    identity: { type: "string" },
    name: { type: "string" },
    "agent-id": { type: "string", multiple: true },
    "action-type": { type: "string", multiple: true },
    ...STORE_OPTIONS,
  });
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
