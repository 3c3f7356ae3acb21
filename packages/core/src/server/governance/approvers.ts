import type { IdentityRecord } from "../../store/records.ts";
import type { Store } from "../../store/store.ts";

/** A person who may decide pauses, as far as the server knows them now. */
export interface KnownApprover {
  /** The identity proofs name in `decided_by.id`. */
  identity: string;
  /** Where e-mail reaches them. */
  email: string;
  groups: string[];
  /** Holds a live admin key (may override, may administer the inbox). */
  admin: boolean;
}

/**
 * Finds an approver by identity or e-mail address (without letter case): a
 * governance identity, or the holder of a live approver or admin key.
 * `null` for anyone else — including an agent's owner who holds only agent
 * keys (or executor keys), and anyone whose every key was revoked. Read on every use, so a
 * revoked key or a deleted identity stops counting at once.
 */
export async function findApprover(store: Store, identityOrEmail: string): Promise<KnownApprover | null> {
  const wanted = identityOrEmail.trim();
  if (wanted === "") return null;
  const record = (await store.getIdentity(wanted)) ?? (await findIdentityRecord(store, wanted));
  const keys = await store.listApiKeysByIdentity(record?.identity ?? wanted);
  // Only approver and admin keys make an approver: never an agent's owner, never an executor service.
  const liveKeys = keys.filter(
    (key) => key.revokedAt === null && (key.role === "approver" || key.role === "admin"),
  );
  if (!record && liveKeys.length === 0) return null;
  const identity = record?.identity ?? liveKeys[0]!.identity!;
  return {
    identity,
    email: record?.email ?? identity,
    groups: record?.groups ?? [],
    admin: liveKeys.some((key) => key.role === "admin"),
  };
}

async function findIdentityRecord(store: Store, wanted: string): Promise<IdentityRecord | null> {
  const lower = wanted.toLowerCase();
  const identities = await store.listIdentities();
  return (
    identities.find((candidate) => candidate.identity.toLowerCase() === lower) ??
    identities.find((candidate) => candidate.email?.toLowerCase() === lower) ??
    null
  );
}
