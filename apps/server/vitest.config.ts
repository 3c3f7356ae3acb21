import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { conditions: ["@countersign/source"] },
  ssr: { resolve: { conditions: ["@countersign/source"] } },
  test: {
    // Many tests spawn the CLI: seconds each on a busy machine.
    testTimeout: 60_000,
    hookTimeout: 20_000,
    // Chromium and a current inbox build for the inbox browser tests.
    globalSetup: ["src/inbox/test-support/global-setup.ts"],
  },
});
