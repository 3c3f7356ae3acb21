import { defineConfig } from "vitest/config";

// `browser` before the rest: @countersign/verify resolves to its WebCrypto path,
// the one the built inbox runs in browsers.
export default defineConfig({
  resolve: { conditions: ["@countersign/source", "browser"] },
  ssr: { resolve: { conditions: ["@countersign/source", "browser"] } },
  test: { environment: "node", include: ["src/**/*.test.ts"] },
});
