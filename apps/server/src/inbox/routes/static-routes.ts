import { CountersignError } from "@countersign/core";
import type { InboxContext } from "../inbox-context.ts";
import { IMMUTABLE_CACHE, PAGE_HEADERS, REVALIDATE_CACHE } from "../static/page-headers.ts";
import { assetResponse, type StaticAssets } from "../static/static-assets.ts";
import type { InboxApp } from "./inbox-app.ts";

/**
 * The built inbox: `/inbox/assets/*` as immutable files, and the page itself
 * at `/` and every other `/inbox/…` path (the page routes in the browser).
 * Register after the API routes.
 */
export function registerStaticRoutes(app: InboxApp, context: InboxContext, assets: StaticAssets): void {
  app.all("/inbox/api/*", (c) => {
    throw new CountersignError("not_found", `No route ${c.req.method} ${c.req.path}`);
  });

  app.get("/inbox/assets/*", async (c) => {
    const relative = safeDecode(c.req.path.slice("/inbox/".length));
    const asset = relative === null ? null : await assets.get(relative);
    if (!asset)
      return new Response("Not found\n", { status: 404, headers: { "content-type": "text/plain" } });
    return assetResponse(c.req.raw, asset, { "cache-control": IMMUTABLE_CACHE });
  });

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
  app.get("/", (c) => page(c.req.raw));
  app.get("/inbox", (c) => page(c.req.raw));
  app.get("/inbox/*", (c) => page(c.req.raw));
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
