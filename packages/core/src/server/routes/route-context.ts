import type { Context } from "hono";
import type { ApiKeyRecord, ApiKeyRole } from "../../store/records.ts";
import { authenticate, requireRole } from "../auth/api-keys.ts";
import type { ServiceContext } from "../service-context.ts";

export interface RouteDependencies {
  context: ServiceContext;
  maxBodyBytes: number;
  waitForChange: (pauseId: string, timeoutMs: number, signal?: AbortSignal) => Promise<boolean>;
  /** Whether a key that authenticated a long-lived stream is still live (revocation ends streams). */
  keyLiveness: { isLive(keyHash: string): Promise<boolean> };
}

/** Authenticates the request and checks its role; throws `unauthorized` or `forbidden`. */
export async function requireKey(
  dependencies: RouteDependencies,
  c: Context,
  roles: readonly ApiKeyRole[],
  what: string,
): Promise<ApiKeyRecord> {
  const key = await authenticate(dependencies.context.store, c.req.header("authorization"));
  requireRole(key, roles, what);
  return key;
}
