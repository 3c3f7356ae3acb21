import type { Context } from "hono";
import type { AuditCheckpointer } from "../../audit/audit-checkpointer.ts";
import type { ApiKeyRecord, ApiKeyRole } from "../../store/records.ts";
import { authenticate, requireRole } from "../auth/api-keys.ts";
import type { ServiceContext } from "../service-context.ts";

export interface RouteDependencies {
  context: ServiceContext;
  maxBodyBytes: number;
  waitForChange: (pauseId: string, timeoutMs: number, signal?: AbortSignal) => Promise<boolean>;
  /** Signs (and witnesses) the audit log's checkpoints. */
  checkpointer: AuditCheckpointer;
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
