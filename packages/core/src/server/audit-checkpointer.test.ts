import { describe, expect, it } from "vitest";
import { verifyCheckpoint } from "../audit/audit-checkpoint.ts";
import { startTestServer } from "../testing/test-server.ts";
import { call, seedRequest } from "./server-test-helpers.ts";

describe("periodic audit checkpoints", () => {
  it("writes a signed checkpoint to the log stream when the log has grown, and not again until it grows", async () => {
    const lines: { message: string; checkpoint?: unknown }[] = [];
    const log = {
      info: (message: string, fields?: Record<string, unknown>) => lines.push({ message, ...fields }),
      error: () => {},
    };
    const t = await startTestServer({ serverOptions: { checkpointIntervalMs: 30, log } });
    try {
      await call(t, "POST", "/v1/pauses", { body: seedRequest() });
      const checkpoints = () => lines.filter((line) => line.message === "audit checkpoint");
      await waitFor(() => checkpoints().length >= 1);
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(checkpoints()).toHaveLength(1);
      const first = checkpoints()[0]!.checkpoint as { size: number };
      expect(first.size).toBe(1);
      expect((await verifyCheckpoint(first, t.jwks)).ok).toBe(true);

      await call(t, "POST", "/v1/pauses", { body: seedRequest() });
      await waitFor(() => checkpoints().length >= 2);
      expect((checkpoints()[1]!.checkpoint as { size: number }).size).toBe(2);
    } finally {
      await t.close();
    }
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
