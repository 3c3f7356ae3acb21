import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type ApprovalServer, jsonLogger } from "@countersign/core/server";
import { startWebPush } from "../push/start-web-push.ts";
import { loadWebSecret } from "../web-session/web-secret.ts";
import type { InboxContext } from "./inbox-context.ts";
import type { InboxOptions } from "./inbox-options.ts";
import { approveAndGrantRoute } from "./routes/approve-and-grant-route.ts";
import { auditRoutes } from "./routes/audit-routes.ts";
import { batchDecisionRoute } from "./routes/batch-decision-route.ts";
import { delegationRoutes } from "./routes/delegation-routes.ts";
import { eventsRoute } from "./routes/events-route.ts";
import { grantRoutes } from "./routes/grant-routes.ts";
import { inboxRouteFamily } from "./routes/inbox-route.ts";
import { insightsRoute } from "./routes/insights-route.ts";
import { pauseRoutes } from "./routes/pause-routes.ts";
import { pushRoutes } from "./routes/push-routes.ts";
import { sessionRoutes } from "./routes/session-routes.ts";
import { staticRoutes, unknownApiRoute } from "./routes/static-routes.ts";
import { unreportedClaimsRoute } from "./routes/unreported-claims-route.ts";
import { createSignInLink, type SignInLink } from "./session/sign-in-links.ts";
import { createStaticAssets } from "./static/static-assets.ts";

/** `apps/inbox/dist`: the same relative place from `src/inbox` and from the built `dist/inbox`. */
// In the workspace the inbox is apps/inbox's own build output (fresh on every start); installed from
// npm it ships inside this package (copied by the build). Both paths hold from src/inbox and dist/inbox.
const WORKSPACE_STATIC_DIR = fileURLToPath(new URL("../../../inbox/dist/", import.meta.url));
const PACKAGED_STATIC_DIR = fileURLToPath(new URL("../../inbox-dist/", import.meta.url));
const DEFAULT_STATIC_DIR = existsSync(WORKSPACE_STATIC_DIR) ? WORKSPACE_STATIC_DIR : PACKAGED_STATIC_DIR;

export interface MountedInbox {
  /** A one-time sign-in link for an approver, e.g. for an e-mail; `next` is an inbox path to open afterwards. */
  createSignInLink(identity: string, options?: { next?: string }): SignInLink;
}

/**
 * Serves the approver inbox from the approval server: the page at `/`, its
 * JSON API under `/inbox/api/` (declared routes: they join `/openapi.json`), sessions and sign-in. Call it before the
 * server answers its first request (the router is fixed after that).
 */
export async function mountInbox(server: ApprovalServer, options: InboxOptions): Promise<MountedInbox> {
  const log = options.log ?? jsonLogger();
  const now = options.now ?? (() => new Date());
  const push =
    options.push === false
      ? null
      : await startWebPush({
          store: options.store,
          service: server.service,
          options: options.push ?? {},
          now,
          log,
        });
  const context: InboxContext = {
    store: options.store,
    service: server.service,
    secret: await loadWebSecret(options.store),
    now,
    log,
    baseUrl: () => server.baseUrl,
    sessionTtlSeconds: options.sessionTtlSeconds ?? 12 * 60 * 60,
    signInLinkTtlSeconds: options.signInLinkTtlSeconds ?? 15 * 60,
    sendSignInLink: options.sendSignInLink ?? null,
    allowedOrigins: options.allowedOrigins ?? [],
    push,
  };
  server.mount(
    inboxRouteFamily(
      [
        ...sessionRoutes(context),
        ...pauseRoutes(context),
        batchDecisionRoute(context),
        eventsRoute(context),
        ...auditRoutes(context),
        unreportedClaimsRoute(context),
        insightsRoute(context),
        ...delegationRoutes(context),
        ...grantRoutes(context),
        approveAndGrantRoute(context),
        ...pushRoutes(context),
      ],
      context,
    ),
  );
  unknownApiRoute(server.app);
  server.mount(
    inboxRouteFamily(
      staticRoutes(context, createStaticAssets(options.staticDir ?? DEFAULT_STATIC_DIR)),
      context,
    ),
  );
  return {
    createSignInLink: (identity, linkOptions) => createSignInLink(context, identity, linkOptions),
  };
}
