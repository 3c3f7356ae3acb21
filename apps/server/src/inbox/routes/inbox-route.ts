import { CountersignError } from "@countersign/core";
import { defineRoute, type Route, type RouteFamily, type RouteSpec } from "@countersign/core/server";
import type { z } from "zod";
import type { WebRole, WebSession } from "../../web-session/web-sessions.ts";
import type { InboxContext } from "../inbox-context.ts";
import { requireSameOrigin } from "../session/csrf.ts";
import { requireSession, requireSessionForChange } from "../session/require-session.ts";

/** What an inbox route's handler gets as `auth`: the signed-in session, or `null` on an open route. */
export type InboxAuth = WebSession | null;

/** The inbox's JSON bodies are small: 64 KiB at most. */
const MAX_BODY_BYTES = 64 * 1024;

type Schema = z.ZodType | undefined;

/**
 * An inbox route that needs a session (its cookie), and on a route that
 * `changes` something also the same origin and the session's CSRF token;
 * `roles` narrows it further (the audit views are admin-only).
 */
export function sessionRoute<
  P extends Schema = undefined,
  Q extends Schema = undefined,
  H extends Schema = undefined,
  B extends Schema = undefined,
>(
  spec: RouteSpec<WebSession, P, Q, H, B> & {
    security: { kind: "session"; roles?: readonly WebRole[]; changes?: boolean };
  },
): Route<InboxAuth> {
  return defineRoute(spec) as Route<InboxAuth>;
}

/** An inbox route open to anyone (sign-in and its options); one that changes something is same-origin only. */
export function openRoute<
  P extends Schema = undefined,
  Q extends Schema = undefined,
  H extends Schema = undefined,
  B extends Schema = undefined,
>(spec: Omit<RouteSpec<null, P, Q, H, B>, "security">): Route<InboxAuth> {
  return defineRoute({ ...spec, security: { kind: "public" } }) as Route<InboxAuth>;
}

/** The inbox's routes, authenticated by the session cookie and checked against each route's security. */
export function inboxRouteFamily(
  routes: readonly Route<InboxAuth>[],
  context: InboxContext,
): RouteFamily<InboxAuth> {
  return {
    routes,
    maxBodyBytes: MAX_BODY_BYTES,
    async authenticate(route, request) {
      const { security } = route;
      if (security.kind !== "session") {
        // Nothing that changes state is accepted from another site, signed in or not.
        if (route.method !== "get") requireSameOrigin(context, request);
        return null;
      }
      const session = security.changes
        ? await requireSessionForChange(context, request)
        : await requireSession(context, request);
      if (security.roles && !security.roles.includes(session.role)) {
        throw new CountersignError(
          "forbidden",
          `Only ${security.roles.join(" or ")}s may ${lowerFirst(route.summary)}; sign in with an ${security.roles[0]} key`,
        );
      }
      return session;
    },
  };
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
