// The Merkle audit log at size: evidence-bundle size and verify time for one pause in a log of
// 1,000,000 events, and sealing throughput (SQLite in the writer's transaction; Postgres by the sealer).
// Usage: node --conditions=@countersign/source bench/audit-evidence.mjs [events]
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  createApprovalServer,
  silentLogger,
  sqliteStore,
  verifyEvidenceBundle,
} from "@countersign/core/server";
import { postgresStore } from "@countersign/postgres";
import { summarize } from "./stats.mjs";

const pg = createRequire(new URL("../packages/postgres/package.json", import.meta.url))("pg");
const ADMIN_URL = process.env.COUNTERSIGN_BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

const filler = (index) => ({
  type: "pause.notified",
  pauseId: `pau_other${index % 997}`,
  agentId: "other-agent",
  actor: { kind: "system", id: "bench" },
  at: new Date(Date.UTC(2030, 0, 1, 0, 0, 0, index % 1000)).toISOString(),
  data: { channel: "slack", target: "#finance-approvals", n: index },
});

async function call(server, method, path, key, body) {
  const response = await server.fetch(
    new Request(`http://localhost${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body && { "content-type": "application/json" }) },
      ...(body && { body: JSON.stringify(body) }),
    }),
  );
  return response.json();
}

async function sqliteFigures(events) {
  const dir = mkdtempSync(join(tmpdir(), "countersign-bench-audit-"));
  const store = sqliteStore(join(dir, "countersign.db"));
  try {
    await store.migrate();
    const started = performance.now();
    for (let start = 0; start < events; start += 10_000) {
      const count = Math.min(10_000, events - start);
      await Promise.all(
        Array.from({ length: count }, (_, index) => store.appendAudit(filler(start + index))),
      );
    }
    const sealSeconds = (performance.now() - started) / 1000;
    const server = await createApprovalServer({ store, background: false, log: silentLogger });
    const agent = (
      await server.issueApiKey({ role: "agent", identity: "owner@example.com", agentIds: ["*"] })
    ).key;
    const approver = (await server.issueApiKey({ role: "approver", identity: "alice@example.com" })).key;
    const pause = await call(server, "POST", "/v1/pauses", agent, {
      agent_id: "billing-agent",
      action: {
        type: "payment",
        title: "Pay Acme Corp $12,450",
        data: { payee: "Acme Corp", amount: 12450 },
      },
    });
    await Promise.all(Array.from({ length: 500 }, (_, index) => store.appendAudit(filler(events + index))));
    await call(server, "POST", `/v1/pauses/${pause.pause_id}/decision`, approver, {
      decision: "approve",
      reason: "ok",
    });
    await call(server, "POST", `/v1/pauses/${pause.pause_id}/claim`, agent, {});
    const bundle = await server.evidenceBundle(pause.pause_id);
    const bytes = Buffer.byteLength(JSON.stringify(bundle));
    const samples = [];
    for (let run = 0; run < 30; run++) {
      const parsed = JSON.parse(JSON.stringify(bundle));
      const begin = performance.now();
      const result = await verifyEvidenceBundle(parsed, { keys: server.jwks });
      samples.push(performance.now() - begin);
      if (!result.valid) throw new Error(`bundle did not verify: ${result.problem?.message}`);
    }
    await server.close();
    return {
      log_events: bundle.checkpoint.size,
      pause_events: bundle.events.length,
      bundle_bytes: bytes,
      target_bundle_bytes: 20_000,
      verify: { ...summarize(samples), target_ms: 50 },
      sealing_sqlite_events_per_second: Math.round(events / sealSeconds),
    };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function postgresSealing(events) {
  const name = `countersign_bench_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const store = postgresStore(url.toString());
  try {
    await store.migrate();
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    // Unsealed events as writers leave them, committed in 100 transactions.
    for (let batch = 0; batch < 100; batch++) {
      await client.query(
        `INSERT INTO audit_events (event_id, type, pause_id, agent_id, actor, actor_id, at, at_time, data)
          SELECT 'evt_' || $1 || '_' || n, 'pause.notified', 'pau_other' || (n % 997), 'other-agent',
            '{"kind":"system","id":"bench"}', 'bench', '2030-01-01T00:00:00.000Z', now(),
            json_build_object('channel', 'slack', 'n', n) FROM generate_series(1, $2) AS n`,
        [batch, events / 100],
      );
    }
    await client.end();
    const started = performance.now();
    const head = await store.auditHead(); // waits until every committed event is sealed
    const seconds = (performance.now() - started) / 1000;
    return {
      events: head?.seq ?? 0,
      sealing_postgres_events_per_second: Math.round((head?.seq ?? 0) / seconds),
    };
  } finally {
    await store.close();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
}

export async function measureAuditEvidence({
  events = 1_000_000,
  postgresEvents = 100_000,
  postgres = true,
} = {}) {
  return {
    ...(await sqliteFigures(events)),
    ...(postgres && { postgres_sealer: await postgresSealing(postgresEvents) }),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const events = Number(process.argv[2] ?? 1_000_000);
  console.log(JSON.stringify(await measureAuditEvidence({ events }), null, 2));
}
