import { CountersignError } from "@countersign/core";
import type { Route } from "@countersign/core/server";
import type { InboxContext } from "../inbox-context.ts";
import { IMMUTABLE_CACHE, PAGE_HEADERS, REVALIDATE_CACHE } from "../static/page-headers.ts";
import { assetResponse, type StaticAssets } from "../static/static-assets.ts";
import type { InboxApp } from "./inbox-app.ts";
import { type InboxAuth, openRoute } from "./inbox-route.ts";
import { installRoutes } from "./install-routes.ts";

/**
 * The built inbox: `/inbox/assets/*` as immutable files, and the page itself
 * at `/` and every other `/inbox/…` path (the page routes in the browser).
 * Hidden from the API description: they are pages, not API. Mount after the
 * API routes, and after `unknownApiRoute` (an unknown `/inbox/api/…` path is a 404, not the page).
 */
export function staticRoutes(context: InboxContext, assets: StaticAssets): Route<InboxAuth>[] {
  const page = async (request: Request) => {
    const asset = await assets.get("index.html");
    if (!asset) {
      context.log.error("the inbox is not built", { folder: assets.root });
      return new Response(NOT_BUILT_PAGE, {
        status: 503,
        headers: { ...PAGE_HEADERS, "content-type": "text/html; charset=utf-8", "cache-control": "no-store" },
      });
    }
    return assetResponse(request, asset, { ...PAGE_HEADERS, "cache-control": REVALIDATE_CACHE });
  };
  const pageRoute = (operationId: string, path: string) =>
    openRoute({
      operationId,
      method: "get",
      path,
      summary: "The inbox page",
      tags: ["inbox"],
      hidden: true,
      parse: false,
      responses: { 200: { description: "The page", contentType: "text/html" } },
      errors: [],
      handle: ({ request }) => page(request),
    });
  return [
    openRoute({
      operationId: "inboxAsset",
      method: "get",
      path: "/inbox/assets/*",
      summary: "The inbox's scripts and styles",
      tags: ["inbox"],
      hidden: true,
      parse: false,
      responses: { 200: { description: "An immutable file" } },
      errors: [],
      async handle({ request }) {
        const relative = safeDecode(new URL(request.url).pathname.slice("/inbox/".length));
        const asset = relative === null ? null : await assets.get(relative);
        if (!asset)
          return new Response("Not found\n", { status: 404, headers: { "content-type": "text/plain" } });
        return assetResponse(request, asset, { "cache-control": IMMUTABLE_CACHE });
      },
    }),
    ...installRoutes(assets),
    pageRoute("inboxPage", "/"),
    pageRoute("inboxPageRoot", "/inbox"),
    pageRoute("inboxPagePath", "/inbox/*"),
  ];
}

/** Any other `/inbox/api/…` request: a 404 in problem details, never the page. */
export function unknownApiRoute(app: InboxApp): void {
  app.all("/inbox/api/*", (c) => {
    throw new CountersignError("not_found", `No route ${c.req.method} ${c.req.path}`);
  });
}

function safeDecode(path: string): string | null {
  try {
    return decodeURIComponent(path);
  } catch {
    return null;
  }
}

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><meta charset="utf-8"><title>Countersign inbox</title>
<p>The inbox is not built. Run <code>npx pnpm@10 --filter @countersign/inbox build</code> and reload.</p>
</html>
`;
