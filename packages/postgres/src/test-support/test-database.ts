import { randomBytes } from "node:crypto";
import pg from "pg";

/** The server the tests use: CI runs one on 127.0.0.1:5432. */
export const ADMIN_URL =
  process.env.COUNTERSIGN_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export interface TestDatabase {
  /** Connection string of the fresh database. */
  url: string;
  name: string;
  /** Drops the database, disconnecting whoever is still on it. */
  drop(): Promise<void>;
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 5_000 });
  client.on("error", () => {});
  try {
    await client.connect();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `Postgres not reachable at ${redact(ADMIN_URL)} (${reason}). Start it with ` +
        "`pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`, " +
        "or point COUNTERSIGN_TEST_DATABASE_URL at a server where this user may CREATE DATABASE.",
    );
  }
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** A new, empty database `countersign_test_<random>` on the test server. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `countersign_test_${randomBytes(6).toString("hex")}`;
  await admin((client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () =>
      admin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => {}),
  };
}

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return url;
  }
}

/** Every table the store writes, children first. */
const TABLES = [
  "delivery_attempts",
  "deliveries",
  "follow_ups",
  "approvals",
  "idempotency_keys",
  "audit_events",
  "audit_nodes",
  "leases",
  "grants",
  "webhook_endpoints",
  "delegations",
  "pauses",
  "api_keys",
  "settings",
  "identities",
  "used_tokens",
  "web_sessions",
  "push_subscriptions",
  "readiness_probe",
];

/** Empties a migrated database in one transaction (much faster than a new schema per test). */
export async function emptyStoreTables(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("BEGIN");
    // The audit tables refuse DELETE by trigger; a test reset is the one place that may (superuser only).
    await client.query("SET LOCAL session_replication_role = replica");
    for (const table of TABLES) await client.query(`DELETE FROM ${table}`);
    await client.query("UPDATE audit_head SET seq = 0, hash = $1", [`sha256:${"0".repeat(64)}`]);
    await client.query("COMMIT");
  } finally {
    await client.end();
  }
}
