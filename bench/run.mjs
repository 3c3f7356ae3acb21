// Runs the benchmarks and prints one JSON document. Numbers, not tests: nothing here gates CI.
// Usage: npx --yes pnpm@10 bench [--quick] [--no-postgres]
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { measureAuditEvidence } from "./audit-evidence.mjs";
import { measureCreateThroughput } from "./create-throughput.mjs";
import { measureDecisionLatency } from "./decision-latency.mjs";
import { measureHeldWaiters } from "./held-waiters.mjs";
import { markdownTable } from "./markdown-table.mjs";
import { measureMcpGateway } from "./mcp-gateway.mjs";
import { measurePostgresScaleOut } from "./postgres-scale-out.mjs";
import { measureProofVerify } from "./proof-verify.mjs";

const quick = process.argv.includes("--quick");
const report = {
  node: process.version,
  cpus: cpus().length,
  at: new Date().toISOString(),
  proof_verify: await measureProofVerify({ seconds: quick ? 0.5 : 2 }),
  decision_to_resume: await measureDecisionLatency({ iterations: quick ? 30 : 200 }),
  create_throughput: await measureCreateThroughput({ seconds: quick ? 3 : 10 }),
  held_waiters: await measureHeldWaiters({ waiters: quick ? 2_000 : 10_000 }),
  // The same with V8's young generation capped at 4 MB a semi-space (docs/deploy.md: a server holding
  // thousands of long-polls trades ~10% CPU per create for less memory and shorter GC pauses).
  held_waiters_small_young_generation: await measureHeldWaiters({
    waiters: quick ? 2_000 : 10_000,
    nodeFlags: ["--max-semi-space-size=4"],
  }),
  audit_evidence: await measureAuditEvidence({
    events: quick ? 100_000 : 1_000_000,
    postgresEvents: quick ? 20_000 : 100_000,
    postgres: !process.argv.includes("--no-postgres"),
  }),
  mcp_gateway: await measureMcpGateway(quick ? { iterations: 300, warmup: 50 } : {}),
  // Needs Postgres (COUNTERSIGN_BENCH_DATABASE_URL, default the local server); skipped with --no-postgres.
  ...(!process.argv.includes("--no-postgres") && {
    postgres_scale_out: await measurePostgresScaleOut({
      iterations: quick ? 30 : 200,
      seconds: quick ? 3 : 10,
    }),
  }),
};
const json = JSON.stringify(report, null, 2);
mkdirSync(new URL("./results/", import.meta.url), { recursive: true });
writeFileSync(new URL("./results/latest.json", import.meta.url), `${json}\n`);
writeFileSync(new URL("./results/latest.md", import.meta.url), markdownTable(report));
console.log(json);
