import { backfillAuditTree } from "./audit-operations.ts";
import type { SqliteConnection } from "./sqlite-connection.ts";

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Numbered, append-only: a released migration is never edited, a change is a new one. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "initial schema",
    sql: `
      CREATE TABLE pauses (
        pause_id TEXT PRIMARY KEY,
        status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'expired', 'cancelled')),
        agent_id TEXT NOT NULL,
        action_type TEXT NOT NULL,
        action TEXT NOT NULL,
        action_digest TEXT NOT NULL,
        recipients TEXT NOT NULL,
        webhook_url TEXT,
        context TEXT NOT NULL,
        metadata TEXT NOT NULL,
        owner_key_id TEXT,
        requested_by TEXT,
        routing TEXT,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        decision TEXT,
        proof TEXT,
        claimed_at TEXT
      ) STRICT;
      CREATE INDEX pauses_newest ON pauses (created_at DESC, pause_id DESC);
      CREATE INDEX pauses_status_expiry ON pauses (status, expires_at);
      CREATE INDEX pauses_agent ON pauses (agent_id, created_at DESC);
      CREATE INDEX pauses_owner ON pauses (owner_key_id, created_at DESC);

      CREATE TABLE idempotency_keys (
        scope TEXT NOT NULL,
        key TEXT NOT NULL,
        request_hash TEXT NOT NULL,
        pause_id TEXT NOT NULL REFERENCES pauses (pause_id),
        UNIQUE (scope, key)
      ) STRICT;

      CREATE TABLE api_keys (
        key_id TEXT PRIMARY KEY,
        hash TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL CHECK (role IN ('agent', 'approver', 'admin')),
        identity TEXT,
        name TEXT,
        created_at TEXT NOT NULL,
        revoked_at TEXT
      ) STRICT;

      CREATE TABLE deliveries (
        delivery_id TEXT PRIMARY KEY,
        pause_id TEXT NOT NULL REFERENCES pauses (pause_id),
        url TEXT NOT NULL,
        payload TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed', 'disabled')),
        attempts INTEGER NOT NULL,
        next_attempt_at TEXT,
        lease_until TEXT,
        last_status INTEGER,
        last_error TEXT,
        created_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX deliveries_due ON deliveries (status, next_attempt_at);
      CREATE INDEX deliveries_pause ON deliveries (pause_id, created_at);

      CREATE TABLE delivery_attempts (
        delivery_id TEXT NOT NULL REFERENCES deliveries (delivery_id),
        attempt INTEGER NOT NULL,
        at TEXT NOT NULL,
        status INTEGER,
        error TEXT,
        duration_ms REAL NOT NULL,
        PRIMARY KEY (delivery_id, attempt)
      ) STRICT;

      CREATE TABLE audit_events (
        seq INTEGER PRIMARY KEY,
        event_id TEXT NOT NULL UNIQUE,
        type TEXT NOT NULL,
        pause_id TEXT,
        agent_id TEXT,
        actor TEXT NOT NULL,
        actor_id TEXT NOT NULL,
        at TEXT NOT NULL,
        at_ms INTEGER NOT NULL,
        data TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      ) STRICT;
      CREATE INDEX audit_events_pause ON audit_events (pause_id, seq);
      CREATE INDEX audit_events_agent ON audit_events (agent_id, seq);
      CREATE INDEX audit_events_actor ON audit_events (actor_id, seq);

      CREATE TABLE settings (
        name TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 2,
    name: "quorum approvals, identities, single-use tokens",
    sql: `
      CREATE TABLE approvals (
        pause_id TEXT NOT NULL REFERENCES pauses (pause_id),
        identity TEXT NOT NULL,
        channel TEXT NOT NULL,
        at TEXT NOT NULL,
        data TEXT,
        seq INTEGER NOT NULL,
        PRIMARY KEY (pause_id, identity)
      ) STRICT;

      CREATE TABLE identities (
        identity TEXT PRIMARY KEY,
        email TEXT,
        slack_user_id TEXT UNIQUE,
        display_name TEXT,
        groups TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE used_tokens (
        token_id TEXT PRIMARY KEY,
        expires_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX used_tokens_expiry ON used_tokens (expires_at);
    `,
  },
  {
    version: 3,
    name: "escalation due times",
    sql: `
      ALTER TABLE pauses ADD COLUMN escalate_at TEXT;
      CREATE INDEX pauses_escalation_due ON pauses (escalate_at) WHERE escalate_at IS NOT NULL;
    `,
  },
  {
    version: 4,
    name: "bound agent keys, web sessions, readiness probe",
    // SQLite cannot change a CHECK constraint in place: the keys table is rebuilt.
    // Keys made before binding keep NULL agent ids and open nothing until an admin binds them.
    sql: `
      CREATE TABLE api_keys_bound (
        key_id TEXT PRIMARY KEY,
        hash TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL CHECK (role IN ('agent', 'approver', 'admin', 'executor')),
        identity TEXT,
        name TEXT,
        agent_ids TEXT,
        action_types TEXT,
        created_at TEXT NOT NULL,
        revoked_at TEXT
      ) STRICT;
      INSERT INTO api_keys_bound (key_id, hash, role, identity, name, created_at, revoked_at)
        SELECT key_id, hash, role, identity, name, created_at, revoked_at FROM api_keys;
      DROP TABLE api_keys;
      ALTER TABLE api_keys_bound RENAME TO api_keys;
      CREATE INDEX api_keys_identity ON api_keys (lower(identity));

      CREATE TABLE web_sessions (
        session_hash TEXT PRIMARY KEY,
        identity TEXT NOT NULL,
        via TEXT NOT NULL CHECK (via IN ('api_key', 'link')),
        key_hash TEXT,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        ended_at TEXT
      ) STRICT;
      CREATE INDEX web_sessions_expiry ON web_sessions (expires_at);

      CREATE TABLE readiness_probe (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        at TEXT NOT NULL
      ) STRICT;
    `,
  },
  // 5–19 are reserved for other work (15 is execution receipts); 20 is Teams; the audit log's migrations are 30–39.
  {
    version: 15,
    name: "execution receipts: who claimed, and how the action ended",
    sql: `
      ALTER TABLE pauses ADD COLUMN claimed_by TEXT;
      ALTER TABLE pauses ADD COLUMN execution TEXT;
      CREATE INDEX pauses_unreported ON pauses (claimed_at) WHERE claimed_at IS NOT NULL AND execution IS NULL;
    `,
  },
  {
    version: 20,
    name: "teams accounts of identities",
    sql: `
      ALTER TABLE identities ADD COLUMN teams_user_id TEXT;
      CREATE UNIQUE INDEX identities_teams_user ON identities (teams_user_id);
    `,
  },
  {
    version: 30,
    name: "Merkle tree of the audit log; audit rows are append-only",
    sql: `
      CREATE TABLE audit_nodes (
        level INTEGER NOT NULL,
        idx INTEGER NOT NULL,
        hash BLOB NOT NULL,
        PRIMARY KEY (level, idx)
      ) STRICT, WITHOUT ROWID;
      CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
        BEGIN SELECT RAISE(ABORT, 'audit events are append-only: UPDATE refused'); END;
      CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
        BEGIN SELECT RAISE(ABORT, 'audit events are append-only: DELETE refused'); END;
      CREATE TRIGGER audit_nodes_no_update BEFORE UPDATE ON audit_nodes
        BEGIN SELECT RAISE(ABORT, 'audit tree nodes are append-only: UPDATE refused'); END;
      CREATE TRIGGER audit_nodes_no_delete BEFORE DELETE ON audit_nodes
        BEGIN SELECT RAISE(ABORT, 'audit tree nodes are append-only: DELETE refused'); END;
    `,
  },
  {
    version: 31,
    name: "leases for single-instance background work",
    sql: `
      CREATE TABLE leases (
        name TEXT PRIMARY KEY,
        holder TEXT NOT NULL,
        until_ms INTEGER NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 40,
    name: "standing grants",
    sql: `
      CREATE TABLE grants (
        grant_id TEXT PRIMARY KEY,
        granted_by TEXT NOT NULL,
        agent_ids TEXT NOT NULL,
        action_type TEXT NOT NULL,
        conditions TEXT NOT NULL,
        max_count INTEGER CHECK (max_count IS NULL OR max_count >= 1),
        total_field TEXT,
        max_total REAL CHECK (max_total IS NULL OR max_total > 0),
        used_count INTEGER NOT NULL DEFAULT 0 CHECK (max_count IS NULL OR used_count <= max_count),
        used_total REAL NOT NULL DEFAULT 0 CHECK (max_total IS NULL OR used_total <= max_total),
        reason TEXT,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        revoked_at TEXT,
        revoked_by TEXT
      ) STRICT;
      CREATE INDEX grants_newest ON grants (created_at DESC, grant_id DESC);
    `,
  },
  {
    version: 50,
    name: "webhook endpoints",
    sql: `
      CREATE TABLE webhook_endpoints (
        endpoint_id TEXT PRIMARY KEY,
        url TEXT NOT NULL,
        events TEXT NOT NULL,
        filter TEXT,
        description TEXT,
        status TEXT NOT NULL CHECK (status IN ('enabled', 'disabled')),
        secret TEXT NOT NULL,
        previous_secret TEXT,
        previous_secret_expires_at TEXT,
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX webhook_endpoints_oldest ON webhook_endpoints (created_at, endpoint_id);
      ALTER TABLE deliveries ADD COLUMN endpoint_id TEXT;
      `,
  },
  {
    version: 51,
    name: "delegations",
    sql: `
      CREATE TABLE delegations (
        delegation_id TEXT PRIMARY KEY,
        from_identity TEXT NOT NULL,
        to_identity TEXT NOT NULL CHECK (lower(to_identity) <> lower(from_identity)),
        starts_at TEXT NOT NULL,
        ends_at TEXT NOT NULL CHECK (ends_at > starts_at),
        action_types TEXT,
        reason TEXT,
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL,
        revoked_at TEXT,
        revoked_by TEXT
      ) STRICT;
      CREATE INDEX delegations_newest ON delegations (created_at DESC, delegation_id DESC);
      CREATE INDEX delegations_to ON delegations (lower(to_identity), ends_at);
      ALTER TABLE approvals ADD COLUMN on_behalf_of TEXT;
      `,
  },
  // 53 is the e-mail channel's follow-ups.
  {
    version: 53,
    name: "follow-ups owed to a pause's recipients once it is decided",
    sql: `
      CREATE TABLE follow_ups (
        follow_up_id TEXT PRIMARY KEY,
        pause_id TEXT NOT NULL REFERENCES pauses (pause_id),
        channel TEXT NOT NULL,
        target TEXT NOT NULL,
        identity TEXT NOT NULL,
        reference TEXT,
        status TEXT NOT NULL CHECK (status IN ('waiting', 'sent', 'skipped', 'failed')),
        attempts INTEGER NOT NULL,
        next_attempt_at TEXT NOT NULL,
        lease_until TEXT,
        last_error TEXT,
        created_at TEXT NOT NULL,
        done_at TEXT,
        UNIQUE (pause_id, channel, target)
      ) STRICT;
      CREATE INDEX follow_ups_waiting ON follow_ups (channel, next_attempt_at) WHERE status = 'waiting';
      `,
  },
  {
    version: 54,
    name: "web push subscriptions of approvers",
    sql: `
      CREATE TABLE push_subscriptions (
        endpoint TEXT PRIMARY KEY,
        identity TEXT NOT NULL,
        p256dh TEXT NOT NULL,
        auth TEXT NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX push_subscriptions_identity ON push_subscriptions (lower(identity));
    `,
  },
];

/**
 * Applies every migration not yet recorded in `schema_migrations`, all in one
 * `BEGIN IMMEDIATE` transaction: when several processes start at once, the
 * first takes the write lock and migrates, the others wait and find nothing to do.
 */
export function runMigrations(
  connection: SqliteConnection,
  migrations: readonly Migration[] = MIGRATIONS,
): void {
  connection.transaction(() => {
    connection.exec(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
        version INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        applied_at TEXT NOT NULL
      ) STRICT`,
    );
    const applied = new Set(
      connection
        .statement("SELECT version FROM schema_migrations")
        .all()
        .map((row) => Number(row.version)),
    );
    for (const migration of migrations) {
      if (applied.has(migration.version)) continue;
      connection.exec(migration.sql);
      connection
        .statement("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)")
        .run(migration.version, migration.name, new Date().toISOString());
    }
    // The tree is computed in JavaScript (JCS, SHA-256), so a log from before version 30 gets its tree here.
    if (migrations === MIGRATIONS) backfillAuditTree(connection);
  });
}
