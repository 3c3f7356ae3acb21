import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { conditions: ["@countersign/source"] },
  ssr: { resolve: { conditions: ["@countersign/source"] } },
  test: { testTimeout: 20_000, hookTimeout: 20_000 },
});
