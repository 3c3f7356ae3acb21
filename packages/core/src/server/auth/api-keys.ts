import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { CountersignError } from "../../errors/countersign-error.ts";
import { newId } from "../../protocol/ids.ts";
import type { ApiKeyRecord, ApiKeyRole } from "../../store/records.ts";
import type { Store } from "../../store/store.ts";
import { checkIdentity } from "../save-identity.ts";
import { checkKeyBinding } from "./key-binding.ts";

const KEY_PREFIX = "csk_";

/** Hex SHA-256 of an API key. Keys carry 256 random bits, so a fast hash is the right tool. */
export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

export interface IssueApiKeyOptions {
  role: ApiKeyRole;
  /** Who holds the key: an approver, an admin, or the person who owns an agent. Required. */
  identity: string;
  name?: string | null;
  /** Agent keys: the agent ids (exact or glob, e.g. `billing-*`) it may open pauses as. Required for agents. */
  agentIds?: readonly string[];
  /** Agent keys: the action types (globs) it may request. Default: any. */
  actionTypes?: readonly string[];
  now: Date;
}

/** Creates an API key; the secret is returned once and only its hash is stored. */
export async function issueApiKey(
  store: Store,
  options: IssueApiKeyOptions,
): Promise<{ key: string; record: ApiKeyRecord }> {
  if (!options.identity?.trim()) {
    throw new CountersignError("invalid_request", "identity: every key names the person who holds it", {
      errors: [{ path: "identity", message: "required (an approver, an admin, or an agent's owner)" }],
    });
  }
  const binding = checkKeyBinding(options.role, {
    identity: checkIdentity(options.identity.trim()),
    agentIds: options.agentIds ? [...options.agentIds] : null,
    actionTypes: options.actionTypes ? [...options.actionTypes] : null,
  });
  const key = `${KEY_PREFIX}${options.role}_${randomBytes(32).toString("base64url")}`;
  const record: ApiKeyRecord = {
    keyId: newId("apiKey"),
    hash: hashApiKey(key),
    role: options.role,
    ...binding,
    name: options.name ?? null,
    createdAt: options.now.toISOString(),
    revokedAt: null,
  };
  await store.createApiKey(record);
  return { key, record };
}

/** The key behind an `Authorization: Bearer …` header, or `unauthorized`. */
export async function authenticate(store: Store, header: string | null | undefined): Promise<ApiKeyRecord> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  if (!match) throw new CountersignError("unauthorized", "Send an API key as `Authorization: Bearer <key>`");
  const presented = hashApiKey(match[1]!);
  const record = await store.findApiKeyByHash(presented);
  // The lookup is by hash; compare again in constant time so no branch depends on secret bytes.
  const matches =
    record !== null && timingSafeEqual(Buffer.from(record.hash, "hex"), Buffer.from(presented, "hex"));
  if (!record || !matches || record.revokedAt !== null) {
    throw new CountersignError("unauthorized", "The API key is unknown or revoked");
  }
  return record;
}

export function requireRole(key: ApiKeyRecord, roles: readonly ApiKeyRole[], what: string): void {
  if (!roles.includes(key.role)) {
    throw new CountersignError(
      "forbidden",
      `A key with role ${key.role} may not ${what}; it needs ${roles.join(" or ")}`,
    );
  }
}
