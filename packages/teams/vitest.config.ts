import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { conditions: ["@countersign/source"] },
  ssr: { resolve: { conditions: ["@countersign/source"] } },
  // Each test starts a server and loads the Teams SDK (and MSAL for certificates) for the first
  // time in its worker: seconds of module loading on a busy machine.
  test: { testTimeout: 60_000, hookTimeout: 60_000 },
});
