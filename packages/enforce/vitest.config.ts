import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { conditions: ["@countersign/source"] },
  ssr: { resolve: { conditions: ["@countersign/source"] } },
  test: {
    // Real servers on loopback (Countersign and a service per framework): room for a busy machine.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
