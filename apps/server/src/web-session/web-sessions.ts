import { createHash, randomBytes } from "node:crypto";
import { findApprover, type Store } from "@countersign/core/server";

export type WebRole = "approver" | "admin";

/** A signed-in person, as this request may act: read from the store every time. */
export interface WebSession {
  /** Hex SHA-256 of the cookie's token: the session's name everywhere but the cookie. */
  sessionHash: string;
  identity: string;
  /** What the session may do now (a revoked admin key makes it end, a new one does not widen it). */
  role: WebRole;
  via: "api_key" | "link";
  /** Epoch milliseconds. */
  expiresAt: number;
}

/** Why a session token no longer works. */
export type SessionEnd = "unknown" | "signed_out" | "expired" | "revoked";

/**
 * Server-side sessions: the cookie carries a random token, the store its
 * hash. Every request reads the session and what it rests on again — the
 * API key signed in with must be live; a link sign-in needs a person who is
 * still an active approver, and is an admin only while they hold a live
 * admin key — so sign-out and revocation take effect on the next request.
 */
export async function startWebSession(
  store: Store,
  input: { identity: string; via: "api_key" | "link"; keyHash: string | null },
  options: { now: Date; ttlSeconds: number },
): Promise<{ token: string; sessionHash: string }> {
  const token = randomBytes(32).toString("base64url");
  const sessionHash = hashSessionToken(token);
  await store.createWebSession({
    sessionHash,
    identity: input.identity,
    via: input.via,
    keyHash: input.keyHash,
    createdAt: options.now.toISOString(),
    expiresAt: new Date(options.now.getTime() + options.ttlSeconds * 1000).toISOString(),
    endedAt: null,
  });
  return { token, sessionHash };
}

export async function resumeWebSession(
  store: Store,
  token: string,
  now: Date,
): Promise<{ ok: true; session: WebSession } | { ok: false; end: SessionEnd }> {
  const sessionHash = hashSessionToken(token);
  const record = await store.getWebSession(sessionHash);
  if (!record) return { ok: false, end: "unknown" };
  if (record.endedAt !== null) return { ok: false, end: "signed_out" };
  const expiresAt = Date.parse(record.expiresAt);
  if (expiresAt <= now.getTime()) return { ok: false, end: "expired" };
  const role = await currentRole(store, record);
  if (role === null) return { ok: false, end: "revoked" };
  return { ok: true, session: { sessionHash, identity: record.identity, role, via: record.via, expiresAt } };
}

export async function endWebSession(store: Store, sessionHash: string, now: Date): Promise<void> {
  await store.endWebSession(sessionHash, now.toISOString());
}

async function currentRole(
  store: Store,
  record: { identity: string; via: "api_key" | "link"; keyHash: string | null },
): Promise<WebRole | null> {
  if (record.via === "api_key") {
    const key = record.keyHash === null ? null : await store.findApiKeyByHash(record.keyHash);
    if (!key || key.revokedAt !== null) return null;
    // Agent and executor keys never hold an inbox session, even one started before a role mix-up.
    if (key.role !== "approver" && key.role !== "admin") return null;
    return key.role;
  }
  const approver = await findApprover(store, record.identity);
  if (!approver) return null;
  return approver.admin ? "admin" : "approver";
}

export function hashSessionToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
