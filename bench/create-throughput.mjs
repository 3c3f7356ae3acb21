// Pause-create throughput and latency at 50 connections: Countersign vs the bare baseline.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { cpuMs } from "./cpu.mjs";
import { createKey, startCountersign, startListening } from "./processes.mjs";

const BODY = JSON.stringify({
  agent_id: "billing-agent",
  action: {
    type: "payment",
    description: "Pay Acme Corp $12,450",
    data: { payee: "Acme Corp", amount: 12450 },
  },
});

function load(url, headers, seconds) {
  return autocannon({
    url: `${url}/v1/pauses`,
    method: "POST",
    connections: 50,
    duration: seconds,
    headers: { "content-type": "application/json", ...headers },
    body: BODY,
  });
}

/**
 * The load, and the server's CPU time per request it answered: a figure a
 * machine busy with other work barely moves, unlike requests per second.
 */
async function measure(server, headers, seconds) {
  await load(server.url, headers, 2); // warm up: JIT, pools and caches, for both alike
  const before = cpuMs(server.pid);
  const result = await load(server.url, headers, seconds);
  const cpu = cpuMs(server.pid) - before;
  return { ...describe(result), cpu_ms_per_request: Math.round((cpu / result.requests.total) * 1000) / 1000 };
}

function describe(result) {
  return {
    requests_per_second: Math.round(result.requests.average),
    latency_p50_ms: result.latency.p50,
    latency_p99_ms: result.latency.p99,
    non_2xx: result.non2xx,
    errors: result.errors,
  };
}

export async function measureCreateThroughput({ seconds = 10 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "countersign-bench-"));
  try {
    const baseline = await startListening([
      fileURLToPath(new URL("./baseline-server.mjs", import.meta.url)),
      join(dir, "baseline.db"),
    ]);
    const baselineResult = await measure(baseline, {}, seconds);
    baseline.stop();
    const dataDir = join(dir, "countersign");
    const agentKey = createKey(dataDir, "agent", "bench@example.com");
    const server = await startCountersign(dataDir);
    const countersignResult = await measure(server, { authorization: `Bearer ${agentKey}` }, seconds);
    server.stop();
    return {
      connections: 50,
      duration_s: seconds,
      countersign: countersignResult,
      baseline_node_http_sqlite: baselineResult,
      ratio:
        Math.round((countersignResult.requests_per_second / baselineResult.requests_per_second) * 100) / 100,
      target_ratio: 1.0,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
