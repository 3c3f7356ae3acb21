// Runs the benchmarks and prints one JSON document. Numbers, not tests: nothing here gates CI.
// Usage: npx --yes pnpm@10 bench [--quick] [--no-postgres]
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { measureCreateThroughput } from "./create-throughput.mjs";
import { measureDecisionLatency } from "./decision-latency.mjs";
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
console.log(json);
