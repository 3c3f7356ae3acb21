import { mkdtemp, rm } from "node:fs/promises";
import { get } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type InboxServer, startInboxServer } from "../test-support/inbox-http.ts";

let server: InboxServer;
beforeAll(async () => {
  server = await startInboxServer();
});
afterAll(() => server.close());

async function page(path: string, headers: Record<string, string> = {}) {
  return fetch(`${server.t.url}${path}`, { headers });
}

describe("serving the inbox", () => {
  it("serves the page at / with a strict content policy, revalidated on every load", async () => {
    const response = await page("/");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("no-cache");
    const policy = response.headers.get("content-security-policy")!;
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).not.toContain("unsafe-inline");
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(await response.text()).toContain('<div id="app"></div>');
  });

  it("serves the same page for the inbox's own paths, e.g. a pause's link", async () => {
    const response = await page("/inbox/pauses/pau_123");
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<div id="app"></div>');
  });

  it("serves hashed assets gzipped and cacheable for a year, with a working ETag", async () => {
    const html = await (await page("/")).text();
    const script = /src="(\/inbox\/assets\/[^"]+\.js)"/.exec(html)![1]!;
    const raw = await page(script, { "accept-encoding": "identity" });
    expect(raw.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(raw.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(raw.headers.get("content-encoding")).toBeNull();
    const plain = Buffer.from(await raw.arrayBuffer());
    const etag = raw.headers.get("etag")!;
    const gzipped = await getRaw(`${server.t.url}${script}`, { "accept-encoding": "gzip" });
    expect(gzipped.encoding).toBe("gzip");
    expect(gunzipSync(gzipped.body).equals(plain)).toBe(true);
    expect(gzipped.body.length).toBeLessThan(plain.length);
    expect((await page(script, { "if-none-match": etag })).status).toBe(304);
  });

  it("answers a missing asset or a path outside the build with 404", async () => {
    expect((await page("/inbox/assets/nope.js")).status).toBe(404);
    expect((await page("/inbox/assets/..%2F..%2Fpackage.json")).status).toBe(404);
  });

  it("answers unknown inbox API paths with a problem, not the page", async () => {
    const response = await page("/inbox/api/nothing-here");
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toContain("application/problem+json");
  });
});

describe("without a build", () => {
  it("says how to build the inbox", async () => {
    const empty = await mkdtemp(join(tmpdir(), "inbox-empty-"));
    const bare = await startInboxServer({ staticDir: empty });
    try {
      const response = await fetch(`${bare.t.url}/`);
      expect(response.status).toBe(503);
      expect(await response.text()).toContain("--filter @countersign/inbox build");
    } finally {
      await bare.close();
      await rm(empty, { recursive: true, force: true });
    }
  });
});

/** A GET that keeps the body as sent (fetch would undo the gzip). */
function getRaw(url: string, headers: Record<string, string>) {
  return new Promise<{ encoding: string | undefined; body: Buffer }>((resolve, reject) => {
    get(url, { headers }, (reply) => {
      const chunks: Buffer[] = [];
      reply.on("data", (chunk: Buffer) => chunks.push(chunk));
      reply.on("end", () =>
        resolve({ encoding: reply.headers["content-encoding"], body: Buffer.concat(chunks) }),
      );
    }).on("error", reject);
  });
}
