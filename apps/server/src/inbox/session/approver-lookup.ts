import type { Store } from "@countersign/core/server";
import type { InboxRole } from "./session-cookie.ts";

/**
 * The approver an e-mail address belongs to: a governance identity (by id or
 * e-mail), else the identity of an approver or admin API key. `null` when
 * nobody with that address may approve.
 */
export async function findApproverByEmail(
  store: Store,
  email: string,
): Promise<{ identity: string; email: string } | null> {
  const wanted = email.trim().toLowerCase();
  if (wanted === "") return null;
  for (const record of await store.listIdentities()) {
    if (record.identity.toLowerCase() === wanted || record.email?.toLowerCase() === wanted) {
      return { identity: record.identity, email: record.email ?? record.identity };
    }
  }
  for (const key of await store.listApiKeys()) {
    if (key.revokedAt === null && key.role !== "agent" && key.identity?.toLowerCase() === wanted) {
      return { identity: key.identity, email: key.identity };
    }
  }
  return null;
}

/** Whether `identity` may still sign in: it is a governance identity or holds a live approver or admin key. */
export async function isKnownApprover(store: Store, identity: string): Promise<boolean> {
  if (await store.getIdentity(identity)) return true;
  return (await store.listApiKeys()).some(
    (key) => key.revokedAt === null && key.role !== "agent" && key.identity === identity,
  );
}

/** A sign-in by link is an admin session when the identity holds a live admin key. */
export async function inboxRoleOf(store: Store, identity: string): Promise<InboxRole> {
  const keys = await store.listApiKeys();
  return keys.some((key) => key.revokedAt === null && key.role === "admin" && key.identity === identity)
    ? "admin"
    : "approver";
}
