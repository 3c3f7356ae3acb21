import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type InboxServer, startInboxServer } from "../test-support/inbox-http.ts";

let server: InboxServer;
beforeAll(async () => {
  server = await startInboxServer();
});
afterAll(() => server.close());

const get = (path: string) => fetch(`${server.t.url}${path}`, { headers: { "accept-encoding": "identity" } });

describe("the installable inbox", () => {
  it("links its manifest from the page, and serves it: start at the inbox, standalone, with icons", async () => {
    const html = await (await get("/")).text();
    expect(html).toContain('<link rel="manifest" href="/inbox/manifest.webmanifest" />');
    const response = await get("/inbox/manifest.webmanifest");
    expect(response.headers.get("content-type")).toBe("application/manifest+json");
    expect(response.headers.get("cache-control")).toBe("no-cache");
    const manifest = (await response.json()) as {
      start_url: string;
      display: string;
      icons: { src: string; sizes: string; type: string }[];
    };
    expect(manifest).toMatchObject({ start_url: "/inbox/", display: "standalone" });
    for (const size of ["192x192", "512x512"]) {
      const icon = manifest.icons.find((entry) => entry.sizes === size && entry.type === "image/png")!;
      const image = await get(icon.src);
      expect(image.status, icon.src).toBe(200);
      expect(image.headers.get("content-type")).toBe("image/png");
      // The PNG's own header says the size the manifest claims.
      const bytes = Buffer.from(await image.arrayBuffer());
      expect(`${bytes.readUInt32BE(16)}x${bytes.readUInt32BE(20)}`).toBe(size);
    }
  });

  it("serves the service worker revalidated on every load, under a policy that lets it load nothing", async () => {
    const response = await get("/inbox/sw.js");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("no-cache");
    expect(response.headers.get("content-security-policy")).toBe("default-src 'none'; connect-src 'self'");
    const source = await response.text();
    // Conservative by construction: no Cache Storage, so no API answer or decision is ever replayed.
    expect(source).not.toMatch(/caches\.|cache\.put|CacheStorage/);
    expect(source).toContain('addEventListener("push"');
    expect(source).toContain('addEventListener("notificationclick"');
  });

  it("serves no other file by these names, and the inbox's own paths still get the page", async () => {
    expect((await get("/inbox/icons/missing.png")).status).toBe(404);
    expect((await get("/inbox/icons/%2e%2e%2findex.html")).status).toBe(404);
    const page = await get("/inbox/pauses/pau_1");
    expect(await page.text()).toContain('<div id="app"></div>');
  });
});
