import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import { extname, resolve, sep } from "node:path";
import { gzipSync } from "node:zlib";

export interface StaticAsset {
  body: Uint8Array;
  /** Gzipped body, when that is smaller. */
  gzip: Uint8Array | null;
  etag: string;
  contentType: string;
}

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json",
  ".webmanifest": "application/manifest+json",
  ".txt": "text/plain; charset=utf-8",
  ".woff2": "font/woff2",
};

/**
 * The built inbox, read from `dir` on first use and kept in memory (it is a
 * few kilobytes), compressed once. A file that changes on disk is read again.
 */
export function createStaticAssets(dir: string) {
  const root = resolve(dir);
  const cache = new Map<string, { mtimeMs: number; asset: StaticAsset }>();
  return {
    root,
    /** The file at `relativePath` under the folder, or `null` when missing or outside it. */
    async get(relativePath: string): Promise<StaticAsset | null> {
      const file = resolve(root, relativePath);
      if (!file.startsWith(root + sep) || relativePath.includes("\0")) return null;
      const info = await stat(file).catch(() => null);
      if (!info?.isFile()) return null;
      const cached = cache.get(file);
      if (cached && cached.mtimeMs === info.mtimeMs) return cached.asset;
      const body = new Uint8Array(await readFile(file));
      const compressed = gzipSync(body, { level: 9 });
      const asset: StaticAsset = {
        body,
        gzip: compressed.byteLength < body.byteLength ? new Uint8Array(compressed) : null,
        etag: `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`,
        contentType: CONTENT_TYPES[extname(file)] ?? "application/octet-stream",
      };
      cache.set(file, { mtimeMs: info.mtimeMs, asset });
      return asset;
    },
  };
}

export type StaticAssets = ReturnType<typeof createStaticAssets>;

/** The asset as a response: gzip when the client takes it, 304 when its copy is current. */
export function assetResponse(
  request: Request,
  asset: StaticAsset,
  headers: Record<string, string>,
): Response {
  const common: Record<string, string> = {
    ...headers,
    etag: asset.etag,
    vary: "accept-encoding",
    "x-content-type-options": "nosniff",
  };
  if (request.headers.get("if-none-match") === asset.etag)
    return new Response(null, { status: 304, headers: common });
  const gzip = asset.gzip !== null && /\bgzip\b/.test(request.headers.get("accept-encoding") ?? "");
  const body = gzip ? asset.gzip! : asset.body;
  return new Response(request.method === "HEAD" ? null : (body as Uint8Array<ArrayBuffer>), {
    headers: {
      ...common,
      "content-type": asset.contentType,
      "content-length": String(body.byteLength),
      ...(gzip && { "content-encoding": "gzip" }),
    },
  });
}
