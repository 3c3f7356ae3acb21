// Decision → resume: from the moment the approver's decision reply arrives to the moment the
// waiting agent holds a verified proof, over long-poll and over SSE.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@countersign/core";
import { createKey, startCountersign } from "./processes.mjs";
import { summarize } from "./stats.mjs";

export async function measureDecisionLatency({ iterations = 200 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "countersign-bench-"));
  const dataDir = join(dir, "countersign");
  const agentKey = createKey(dataDir, "agent", "owner@example.com");
  const approverKey = createKey(dataDir, "approver", "alice@example.com");
  const server = await startCountersign(dataDir);
  try {
    const agent = createClient({ baseUrl: server.url, apiKey: agentKey });
    const approver = createClient({ baseUrl: server.url, apiKey: approverKey });
    const keys = await agent.getKeys();
    const result = {};
    for (const transport of ["poll", "sse"]) {
      const samples = [];
      for (let index = 0; index < iterations; index++) {
        const request = { agent_id: "bench", action: { type: "payment", data: { amount: index } } };
        const pause = await agent.createPause(request);
        const resumed = agent
          .waitForDecision(pause.pause_id, { transport, timeoutMs: 30_000 })
          .then((decided) => agent.verifyDecision(decided, { keys }))
          .then(() => performance.now());
        // Let the waiter reach the server before deciding.
        await new Promise((resolve) => setTimeout(resolve, 5));
        // From sending the decision: the server wakes waiters at commit, often before the
        // decision's own reply is back, so timing from that reply would read below zero.
        const sentAt = performance.now();
        await approver.decide(pause.pause_id, { decision: "approve" });
        samples.push((await resumed) - sentAt);
      }
      result[transport === "poll" ? "long_poll" : "sse"] = summarize(samples);
    }
    return { ...result, target_p99_ms: 10 };
  } finally {
    server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
