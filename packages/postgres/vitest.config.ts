import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { conditions: ["@countersign/source"] },
  ssr: { resolve: { conditions: ["@countersign/source"] } },
  // One file at a time: the outage tests stop and restart the Postgres server every file uses.
  test: { testTimeout: 20_000, hookTimeout: 20_000, fileParallelism: false },
});
