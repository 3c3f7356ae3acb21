import { createApprovalServer, issueApiKey, silentLogger } from "@countersign/core/server";
import { databaseUrlFrom, dataDirFrom, openStore } from "../open-store.ts";
import { parseOptions } from "../parse-options.ts";
import { UsageError } from "../usage-error.ts";

const ROLES = ["agent", "approver", "admin"] as const;

export async function runKeys(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(args, {
    role: { type: "string" },
    identity: { type: "string" },
    name: { type: "string" },
    "data-dir": { type: "string" },
    "database-url": { type: "string" },
  });
  const [action, ...rest] = positionals;
  const { store } = await openStore({
    dataDir: dataDirFrom(values["data-dir"]),
    databaseUrl: databaseUrlFrom(values["database-url"]),
  });
  try {
    switch (action) {
      case "create": {
        const role = values.role as (typeof ROLES)[number] | undefined;
        if (!role || !ROLES.includes(role)) throw new UsageError("--role must be agent, approver or admin");
        if (role === "approver" && !values.identity)
          throw new UsageError("an approver key needs --identity (e-mail)");
        const { key, record } = await issueApiKey(store, {
          role,
          identity: values.identity ?? null,
          name: values.name ?? null,
          now: new Date(),
        });
        process.stdout.write(
          `${JSON.stringify({ key_id: record.keyId, role, identity: record.identity, key })}\n`,
        );
        process.stderr.write("Store this key now: it is shown once and only its hash is kept.\n");
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
        throw new UsageError("keys needs one of: create, list, revoke, jwks, secrets");
    }
  } finally {
    await store.close();
  }
}
