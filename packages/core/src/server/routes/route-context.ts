import type { z } from "zod";
import type { AuditCheckpointer } from "../../audit/audit-checkpointer.ts";
import type { ApiKeyRecord } from "../../store/records.ts";
import { authenticate, requireRole } from "../auth/api-keys.ts";
import { defineRoute, type Route, type RouteFamily, type RouteSpec } from "../http/route.ts";
import type { ServiceContext } from "../service-context.ts";

export interface RouteDependencies {
  context: ServiceContext;
  maxBodyBytes: number;
  waitForChange: (pauseId: string, timeoutMs: number, signal?: AbortSignal) => Promise<boolean>;
  /** Whether a key that authenticated a long-lived stream is still live (revocation ends streams). */
  keyLiveness: { isLive(keyHash: string): Promise<boolean> };
  /** Signs (and witnesses) the audit log's checkpoints. */
  checkpointer: AuditCheckpointer;
}

/** What an API route's handler gets as `auth`: the key, or `null` on a public route. */
export type ApiAuth = ApiKeyRecord | null;

type Schema = z.ZodType | undefined;

/** An API route that needs a key with one of `security.roles`; its handler gets the key. */
export function keyRoute<
  P extends Schema = undefined,
  Q extends Schema = undefined,
  H extends Schema = undefined,
  B extends Schema = undefined,
>(
  spec: RouteSpec<ApiKeyRecord, P, Q, H, B> & {
    security: { kind: "apiKey"; roles: readonly ApiKeyRecord["role"][] };
  },
): Route<ApiAuth> {
  return defineRoute(spec) as Route<ApiAuth>;
}

/** An API route anyone may call. */
export function publicRoute<
  P extends Schema = undefined,
  Q extends Schema = undefined,
  H extends Schema = undefined,
  B extends Schema = undefined,
>(spec: Omit<RouteSpec<null, P, Q, H, B>, "security">): Route<ApiAuth> {
  return defineRoute({ ...spec, security: { kind: "public" } }) as Route<ApiAuth>;
}

/** The API's routes, authenticated by `Authorization: Bearer <API key>` and checked against each route's roles. */
export function apiRouteFamily(
  routes: readonly Route<ApiAuth>[],
  dependencies: RouteDependencies,
): RouteFamily<ApiAuth> {
  return {
    routes,
    maxBodyBytes: dependencies.maxBodyBytes,
    caller: (key) => (key ? { key_id: key.keyId } : null),
    async authenticate(route, request) {
      if (route.security.kind !== "apiKey") return null;
      const key = await authenticate(dependencies.context.store, request.headers.get("authorization"));
      requireRole(key, route.security.roles as ApiKeyRecord["role"][], lowerFirst(route.summary));
      return key;
    },
  };
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
