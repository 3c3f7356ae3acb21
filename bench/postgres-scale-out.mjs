// Scale-out on Postgres: two `countersign serve --database-url` processes on one database.
// - decision → resume across instances: the agent waits on A, the approver decides on B
//   (long-poll and SSE), next to the same-instance figure;
// - pause-create throughput with two instances vs one, same total connections.
// Prints JSON. Needs Postgres (COUNTERSIGN_BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres);
// it creates a scratch database and drops it afterwards.
// Usage: node --conditions=@countersign/source bench/postgres-scale-out.mjs [--quick]
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { createClient } from "@countersign/core";
import autocannon from "autocannon";
import { cpuMs, postgresCpuMs } from "./cpu.mjs";
import { CLI_ARGS, startListening } from "./processes.mjs";
import { summarize } from "./stats.mjs";

const pg = createRequire(new URL("../packages/postgres/package.json", import.meta.url))("pg");
const ADMIN_URL = process.env.COUNTERSIGN_BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

const BODY = JSON.stringify({
  agent_id: "billing-agent",
  action: {
    type: "payment",
    description: "Pay Acme Corp $12,450",
    data: { payee: "Acme Corp", amount: 12450 },
  },
});

async function admin(sql) {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function cli(args) {
  const result = spawnSync(process.execPath, [...CLI_ARGS, ...args], {
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(result.stderr);
  return result.stdout;
}

function startInstance(databaseUrl) {
  return startListening([
    ...CLI_ARGS,
    "serve",
    "--port",
    "0",
    "--database-url",
    databaseUrl,
    "--log-level",
    "warn",
  ]);
}

async function resumeLatency({ waitOn, decideOn, agentKey, approverKey, transport, iterations }) {
  const agent = createClient({ baseUrl: waitOn, apiKey: agentKey });
  const opener = createClient({ baseUrl: decideOn, apiKey: agentKey });
  const approver = createClient({ baseUrl: decideOn, apiKey: approverKey });
  const keys = await agent.getKeys();
  const samples = [];
  for (let index = 0; index < iterations; index++) {
    const pause = await opener.createPause({
      agent_id: "bench",
      action: { type: "payment", data: { amount: index } },
    });
    const resumed = agent
      .waitForDecision(pause.pause_id, { transport, timeoutMs: 30_000 })
      .then((decided) => agent.verifyDecision(decided, { keys }))
      .then(() => performance.now());
    // Let the waiter reach its instance before deciding.
    await new Promise((resolve) => setTimeout(resolve, 5));
    // From sending the decision: waiters wake at commit, often before the decision's reply.
    const sentAt = performance.now();
    await approver.decide(pause.pause_id, { decision: "approve" });
    samples.push((await resumed) - sentAt);
  }
  return summarize(samples);
}

function load(url, agentKey, connections, seconds) {
  return autocannon({
    url: `${url}/v1/pauses`,
    method: "POST",
    connections,
    duration: seconds,
    headers: { "content-type": "application/json", authorization: `Bearer ${agentKey}` },
    body: BODY,
  });
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

export async function measurePostgresScaleOut({ iterations = 200, seconds = 10, connections = 50 } = {}) {
  const name = `countersign_bench_${randomBytes(4).toString("hex")}`;
  await admin(`CREATE DATABASE "${name}"`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  const instances = [];
  try {
    const agentKey = JSON.parse(
      cli([
        "keys",
        "create",
        "--role",
        "agent",
        "--identity",
        "owner@example.com",
        "--agent-id",
        "*",
        "--database-url",
        databaseUrl,
      ]),
    ).key;
    const approverKey = JSON.parse(
      cli([
        "keys",
        "create",
        "--role",
        "approver",
        "--identity",
        "alice@example.com",
        "--database-url",
        databaseUrl,
      ]),
    ).key;
    instances.push(...(await Promise.all([startInstance(databaseUrl), startInstance(databaseUrl)])));
    const [a, b] = instances;
    const latency = (transport, decideOn) =>
      resumeLatency({ waitOn: a.url, decideOn: decideOn.url, agentKey, approverKey, transport, iterations });

    const crossInstance = { long_poll: await latency("poll", b), sse: await latency("sse", b) };
    const sameInstance = { long_poll: await latency("poll", a), sse: await latency("sse", a) };

    // The same durable insert without Countersign, same database, same connections, same run.
    const bare = await startListening([
      fileURLToPath(new URL("./baseline-pg-server.mjs", import.meta.url)),
      databaseUrl,
    ]);
    instances.push(bare);
    // Each load after a warm-up of its own (JIT, the pool's connections, prepared statements), for both alike.
    // With the CPU per request of the server and of Postgres: on a machine whose cores the load
    // generator, Postgres and the server share, these say where the time goes.
    const warmed = async (server, share) => {
      await load(server.url, agentKey, share, 2);
      const [serverBefore, postgresBefore] = [cpuMs(server.pid), postgresCpuMs()];
      const result = await load(server.url, agentKey, share, seconds);
      const perRequest = (ms) => Math.round((ms / result.requests.total) * 1000) / 1000;
      return {
        ...describe(result),
        server_cpu_ms_per_request: perRequest(cpuMs(server.pid) - serverBefore),
        postgres_cpu_ms_per_request: perRequest(postgresCpuMs() - postgresBefore),
      };
    };
    const baseline = await warmed(bare, connections);
    const one = await warmed(a, connections);
    await load(b.url, agentKey, connections, 2);
    const both = await Promise.all([
      load(a.url, agentKey, connections / 2, seconds),
      load(b.url, agentKey, connections / 2, seconds),
    ]);
    const perInstance = both.map(describe);
    const twoTotal = perInstance.reduce((sum, result) => sum + result.requests_per_second, 0);
    return {
      decision_to_resume_across_instances: crossInstance,
      decision_to_resume_same_instance: sameInstance,
      create_throughput: {
        connections,
        duration_s: seconds,
        baseline_bare_node_pg: baseline,
        one_instance: one,
        ratio_one_to_baseline:
          Math.round((one.requests_per_second / baseline.requests_per_second) * 100) / 100,
        target_ratio_one_to_baseline: 0.5,
        two_instances: { requests_per_second: twoTotal, per_instance: perInstance },
        ratio_two_to_one: Math.round((twoTotal / one.requests_per_second) * 100) / 100,
        target_ratio_two_to_one: 1.0,
      },
    };
  } finally {
    for (const instance of instances) instance.stop();
    // Give the instances a moment to close their connections, then drop whatever is left.
    await new Promise((resolve) => setTimeout(resolve, 500));
    await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const quick = process.argv.includes("--quick");
  const report = await measurePostgresScaleOut({ iterations: quick ? 30 : 200, seconds: quick ? 3 : 10 });
  console.log(JSON.stringify({ postgres_scale_out: report }, null, 2));
}
