import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { conditions: ["@countersign/source"] },
  ssr: { resolve: { conditions: ["@countersign/source"] } },
  test: {
    // Every suite starts real processes (gateways, MCP servers, Countersign): one file at a time,
    // with room for a busy machine.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 90_000,
  },
});
