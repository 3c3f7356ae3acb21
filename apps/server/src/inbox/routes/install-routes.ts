import type { Route } from "@countersign/core/server";
import { REVALIDATE_CACHE } from "../static/page-headers.ts";
import { assetResponse, type StaticAssets } from "../static/static-assets.ts";
import { type InboxAuth, openRoute } from "./inbox-route.ts";

/**
 * What makes the inbox an installable app: its manifest, its icons and its
 * service worker (apps/inbox/public). Their names never change, so each is
 * revalidated on every load (a new build is picked up at once). Hidden from
 * the API description, like the page.
 */
export function installRoutes(assets: StaticAssets): Route<InboxAuth>[] {
  const file = (
    operationId: string,
    path: string,
    relative: (pathname: string) => string,
    headers: Record<string, string>,
  ) =>
    openRoute({
      operationId,
      method: "get",
      path,
      summary: "A file of the installable inbox",
      tags: ["inbox"],
      hidden: true,
      parse: false,
      responses: { 200: { description: "The file" } },
      errors: [],
      async handle({ request }) {
        const name = relative(new URL(request.url).pathname);
        const asset = /^[a-z0-9-]+(\.[a-z0-9]+)+$|^icons\/[a-z0-9-]+\.(png|svg)$/.test(name)
          ? await assets.get(name)
          : null;
        if (!asset)
          return new Response("Not found\n", { status: 404, headers: { "content-type": "text/plain" } });
        return assetResponse(request, asset, { "cache-control": REVALIDATE_CACHE, ...headers });
      },
    });
  return [
    file("inboxServiceWorker", "/inbox/sw.js", () => "sw.js", {
      // The worker loads nothing; it only passes the inbox's own page loads on (offline page).
      "content-security-policy": "default-src 'none'; connect-src 'self'",
    }),
    file("inboxManifest", "/inbox/manifest.webmanifest", () => "manifest.webmanifest", {}),
    file("inboxIcon", "/inbox/icons/*", (pathname) => pathname.slice("/inbox/".length), {}),
  ];
}
