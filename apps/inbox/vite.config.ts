import { defaultClientConditions, defineConfig } from "vite";

// The server serves the built files under /inbox/ (the page itself also at /).
export default defineConfig({
  base: "/inbox/",
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  // @countersign/verify from its TypeScript source (no build of it needed first); the
  // `browser` condition picks its WebCrypto path.
  resolve: { conditions: ["@countersign/source", ...defaultClientConditions] },
  build: {
    target: "es2022",
    // One small entry chunk: no preload polyfill, no inline script (the page's CSP allows none).
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
  },
  server: {
    // `vite` (dev) against `countersign serve` on the default port.
    proxy: { "/inbox/api": "http://127.0.0.1:8787", "/v1": "http://127.0.0.1:8787" },
  },
});
