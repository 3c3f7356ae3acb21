import { GENESIS_HASH } from "@countersign/core/server";
import type { Database } from "./database.ts";
import { backfillAuditTree } from "./operations/audit-operations.ts";

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * Numbered, append-only: a released migration is never edited, a change is a new one.
 * Ids that are sorted or paged on use `COLLATE "C"` so the order is the byte
 * order every other store (and JavaScript) uses, whatever the database's locale.
 * JSON is kept as `json` (the text as written), not `jsonb`, so `\u0000` and key order survive.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "initial schema",
    sql: `
      CREATE TABLE pauses (
        pause_id text COLLATE "C" PRIMARY KEY,
        status text NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'expired', 'cancelled')),
        agent_id text NOT NULL,
        action_type text NOT NULL,
        action json NOT NULL,
        action_digest text NOT NULL,
        recipients json NOT NULL,
        webhook_url text,
        context json NOT NULL,
        metadata json NOT NULL,
        owner_key_id text,
        requested_by text,
        routing json,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        decision json,
        proof json,
        claimed_at timestamptz,
        -- Bumped on every change; with updated_at it lets other instances catch a missed notification.
        version integer NOT NULL DEFAULT 1,
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp()
      );
      CREATE INDEX pauses_newest ON pauses (created_at DESC, pause_id DESC);
      CREATE INDEX pauses_status ON pauses (status, created_at DESC, pause_id DESC);
      CREATE INDEX pauses_agent ON pauses (agent_id, created_at DESC, pause_id DESC);
      CREATE INDEX pauses_owner ON pauses (owner_key_id, created_at DESC, pause_id DESC);
      CREATE INDEX pauses_pending_expiry ON pauses (expires_at, pause_id) WHERE status = 'pending';
      CREATE INDEX pauses_updated ON pauses (updated_at);

      CREATE TABLE idempotency_keys (
        scope text NOT NULL,
        key text NOT NULL,
        request_hash text NOT NULL,
        -- Deferred: the key is claimed first (the unique constraint decides the race), the pause inserted after.
        pause_id text NOT NULL REFERENCES pauses (pause_id) DEFERRABLE INITIALLY DEFERRED,
        PRIMARY KEY (scope, key)
      );

      CREATE TABLE api_keys (
        key_id text COLLATE "C" PRIMARY KEY,
        hash text NOT NULL UNIQUE,
        role text NOT NULL CHECK (role IN ('agent', 'approver', 'admin')),
        identity text,
        name text,
        created_at timestamptz NOT NULL,
        revoked_at timestamptz
      );

      CREATE TABLE deliveries (
        delivery_id text COLLATE "C" PRIMARY KEY,
        pause_id text NOT NULL REFERENCES pauses (pause_id),
        url text NOT NULL,
        payload text NOT NULL,
        status text NOT NULL CHECK (status IN ('pending', 'delivered', 'failed', 'disabled')),
        attempts integer NOT NULL,
        next_attempt_at timestamptz,
        lease_until timestamptz,
        last_status integer,
        last_error text,
        created_at timestamptz NOT NULL
      );
      CREATE INDEX deliveries_due ON deliveries (next_attempt_at, delivery_id) WHERE status = 'pending';
      CREATE INDEX deliveries_pause ON deliveries (pause_id, created_at, delivery_id);

      CREATE TABLE delivery_attempts (
        delivery_id text NOT NULL REFERENCES deliveries (delivery_id),
        attempt integer NOT NULL,
        at timestamptz NOT NULL,
        status integer,
        error text,
        duration_ms double precision NOT NULL,
        PRIMARY KEY (delivery_id, attempt)
      );

      CREATE TABLE audit_events (
        seq bigint PRIMARY KEY,
        event_id text NOT NULL UNIQUE,
        type text NOT NULL,
        pause_id text,
        agent_id text,
        actor json NOT NULL,
        actor_id text NOT NULL,
        -- "at" exactly as hashed; at_time only serves the since/until filters.
        at text NOT NULL,
        at_time timestamptz NOT NULL,
        data json NOT NULL,
        prev_hash text NOT NULL,
        hash text NOT NULL
      );
      CREATE INDEX audit_events_pause ON audit_events (pause_id, seq);
      CREATE INDEX audit_events_agent ON audit_events (agent_id, seq);
      CREATE INDEX audit_events_actor ON audit_events (actor_id, seq);
      CREATE INDEX audit_events_type ON audit_events (type, seq);
      CREATE INDEX audit_events_time ON audit_events (at_time);

      -- The chain head, one row: appending locks it (SELECT … FOR UPDATE), so appends from
      -- every instance take turns and the chain never forks.
      CREATE TABLE audit_head (
        id boolean PRIMARY KEY DEFAULT true CHECK (id),
        seq bigint NOT NULL,
        hash text NOT NULL
      );
      INSERT INTO audit_head (id, seq, hash) VALUES (true, 0, '${GENESIS_HASH}');

      CREATE TABLE settings (
        name text PRIMARY KEY,
        value text NOT NULL
      );

      CREATE TABLE approvals (
        pause_id text NOT NULL REFERENCES pauses (pause_id),
        identity text NOT NULL,
        channel text NOT NULL,
        at timestamptz NOT NULL,
        data json,
        seq bigint GENERATED ALWAYS AS IDENTITY,
        PRIMARY KEY (pause_id, identity)
      );

      CREATE TABLE identities (
        identity text COLLATE "C" PRIMARY KEY,
        email text,
        slack_user_id text UNIQUE,
        display_name text,
        groups text[] NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      );

      CREATE TABLE used_tokens (
        token_id text PRIMARY KEY,
        expires_at timestamptz NOT NULL
      );
      CREATE INDEX used_tokens_expiry ON used_tokens (expires_at);
    `,
  },
  {
    version: 3,
    name: "escalation due times",
    sql: `
      ALTER TABLE pauses ADD COLUMN escalate_at timestamptz;
      CREATE INDEX pauses_escalation_due ON pauses (escalate_at) WHERE escalate_at IS NOT NULL;
    `,
  },
  {
    version: 4,
    name: "bound agent keys, web sessions, readiness probe",
    // Keys made before binding keep NULL agent ids and open nothing until an admin binds them.
    sql: `
      ALTER TABLE api_keys DROP CONSTRAINT api_keys_role_check;
      ALTER TABLE api_keys ADD CONSTRAINT api_keys_role_check
        CHECK (role IN ('agent', 'approver', 'admin', 'executor'));
      ALTER TABLE api_keys ADD COLUMN agent_ids text[], ADD COLUMN action_types text[];
      CREATE INDEX api_keys_identity ON api_keys (lower(identity));

      CREATE TABLE web_sessions (
        session_hash text PRIMARY KEY,
        identity text NOT NULL,
        via text NOT NULL CHECK (via IN ('api_key', 'link')),
        key_hash text,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        ended_at timestamptz
      );
      CREATE INDEX web_sessions_expiry ON web_sessions (expires_at);

      CREATE TABLE readiness_probe (
        id boolean PRIMARY KEY DEFAULT true CHECK (id),
        at timestamptz NOT NULL
      );
    `,
  },
  // 5–19 are reserved for other work (15 is execution receipts); 20 is Teams; the audit log's migrations are 30–39.
  {
    version: 15,
    name: "execution receipts: who claimed, and how the action ended",
    sql: `
      ALTER TABLE pauses ADD COLUMN claimed_by text, ADD COLUMN execution json;
      CREATE INDEX pauses_unreported ON pauses (claimed_at) WHERE claimed_at IS NOT NULL AND execution IS NULL;
    `,
  },
  {
    version: 20,
    name: "teams accounts of identities",
    sql: `
      ALTER TABLE identities ADD COLUMN teams_user_id text UNIQUE;
    `,
  },
  {
    version: 30,
    name: "audit events sealed after commit, Merkle tree, append-only audit rows",
    sql: `
      -- Writers insert events unsealed (no seq, no hash) in their own transaction; the sealer
      -- gives them positions later, in (xid, id) order, below the oldest running transaction.
      ALTER TABLE audit_events DROP CONSTRAINT audit_events_pkey;
      ALTER TABLE audit_events ALTER COLUMN seq DROP NOT NULL,
        ALTER COLUMN prev_hash DROP NOT NULL, ALTER COLUMN hash DROP NOT NULL;
      ALTER TABLE audit_events ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY;
      ALTER TABLE audit_events ADD COLUMN xid xid8 NOT NULL DEFAULT pg_current_xact_id();
      CREATE UNIQUE INDEX audit_events_seq ON audit_events (seq);
      CREATE INDEX audit_events_unsealed ON audit_events (xid, id) WHERE seq IS NULL;

      ALTER TABLE audit_head ADD COLUMN sealed_by text, ADD COLUMN sealed_at timestamptz;

      -- Complete subtrees of the RFC 9162 Merkle tree: (level, index) -> 32-byte hash.
      CREATE TABLE audit_nodes (
        level smallint NOT NULL,
        idx bigint NOT NULL,
        hash bytea NOT NULL,
        PRIMARY KEY (level, idx)
      );

      -- Audit rows are append-only. The one UPDATE allowed is the sealer's: it fills seq,
      -- prev_hash and hash of an unsealed event and changes nothing else.
      CREATE FUNCTION countersign_audit_events_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND OLD.seq IS NULL AND NEW.seq IS NOT NULL AND NEW.hash IS NOT NULL
          AND NEW.prev_hash IS NOT NULL
          AND NEW.id = OLD.id AND NEW.xid = OLD.xid AND NEW.event_id = OLD.event_id AND NEW.type = OLD.type
          AND NEW.pause_id IS NOT DISTINCT FROM OLD.pause_id AND NEW.agent_id IS NOT DISTINCT FROM OLD.agent_id
          AND NEW.actor::text = OLD.actor::text AND NEW.actor_id = OLD.actor_id AND NEW.at = OLD.at
          AND NEW.at_time = OLD.at_time AND NEW.data::text = OLD.data::text THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION 'audit events are append-only: % refused', TG_OP USING ERRCODE = 'CS001';
      END $$;
      CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
        FOR EACH ROW EXECUTE FUNCTION countersign_audit_events_guard();
      CREATE FUNCTION countersign_audit_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'CS001';
      END $$;
      CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
        FOR EACH STATEMENT EXECUTE FUNCTION countersign_audit_refuse();
      CREATE TRIGGER audit_nodes_append_only BEFORE UPDATE OR DELETE ON audit_nodes
        FOR EACH ROW EXECUTE FUNCTION countersign_audit_refuse();
      CREATE TRIGGER audit_nodes_no_truncate BEFORE TRUNCATE ON audit_nodes
        FOR EACH STATEMENT EXECUTE FUNCTION countersign_audit_refuse();
    `,
  },
  {
    version: 31,
    name: "leases for single-instance background work",
    sql: `
      CREATE TABLE leases (
        name text PRIMARY KEY,
        holder text NOT NULL,
        until_time timestamptz NOT NULL
      );
    `,
  },
  {
    version: 40,
    name: "standing grants",
    sql: `
      CREATE TABLE grants (
        grant_id text COLLATE "C" PRIMARY KEY,
        granted_by text NOT NULL,
        agent_ids json NOT NULL,
        action_type text NOT NULL,
        conditions json NOT NULL,
        max_count integer CHECK (max_count IS NULL OR max_count >= 1),
        total_field text,
        max_total double precision CHECK (max_total IS NULL OR max_total > 0),
        used_count integer NOT NULL DEFAULT 0 CHECK (max_count IS NULL OR used_count <= max_count),
        used_total double precision NOT NULL DEFAULT 0 CHECK (max_total IS NULL OR used_total <= max_total),
        reason text,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        revoked_by text
      );
      CREATE INDEX grants_newest ON grants (created_at DESC, grant_id DESC);
    `,
  },
  {
    version: 50,
    name: "webhook endpoints",
    sql: `
      CREATE TABLE webhook_endpoints (
        endpoint_id text COLLATE "C" PRIMARY KEY,
        url text NOT NULL,
        events json NOT NULL,
        filter json,
        description text,
        status text NOT NULL CHECK (status IN ('enabled', 'disabled')),
        secret text NOT NULL,
        previous_secret text,
        previous_secret_expires_at timestamptz,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      );
      CREATE INDEX webhook_endpoints_oldest ON webhook_endpoints (created_at, endpoint_id);
      ALTER TABLE deliveries ADD COLUMN endpoint_id text;
      `,
  },
  {
    version: 51,
    name: "delegations",
    sql: `
      CREATE TABLE delegations (
        delegation_id text COLLATE "C" PRIMARY KEY,
        from_identity text NOT NULL,
        to_identity text NOT NULL CHECK (lower(to_identity) <> lower(from_identity)),
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL CHECK (ends_at > starts_at),
        action_types json,
        reason text,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL,
        revoked_at timestamptz,
        revoked_by text
      );
      CREATE INDEX delegations_newest ON delegations (created_at DESC, delegation_id DESC);
      CREATE INDEX delegations_to ON delegations (lower(to_identity), ends_at);
      ALTER TABLE approvals ADD COLUMN on_behalf_of text;
      `,
  },
  // 53 is the e-mail channel's follow-ups.
  {
    version: 53,
    name: "follow-ups owed to a pause's recipients once it is decided",
    sql: `
      CREATE TABLE follow_ups (
        follow_up_id text COLLATE "C" PRIMARY KEY,
        pause_id text NOT NULL REFERENCES pauses (pause_id),
        channel text NOT NULL,
        target text NOT NULL,
        identity text NOT NULL,
        reference text,
        status text NOT NULL CHECK (status IN ('waiting', 'sent', 'skipped', 'failed')),
        attempts integer NOT NULL,
        next_attempt_at timestamptz NOT NULL,
        lease_until timestamptz,
        last_error text,
        created_at timestamptz NOT NULL,
        done_at timestamptz,
        UNIQUE (pause_id, channel, target)
      );
      CREATE INDEX follow_ups_waiting ON follow_ups (channel, next_attempt_at, follow_up_id) WHERE status = 'waiting';
      `,
  },
  {
    version: 54,
    name: "web push subscriptions of approvers",
    sql: `
      CREATE TABLE push_subscriptions (
        endpoint text COLLATE "C" PRIMARY KEY,
        identity text NOT NULL,
        p256dh text NOT NULL,
        auth text NOT NULL,
        created_at timestamptz NOT NULL
      );
      CREATE INDEX push_subscriptions_identity ON push_subscriptions (lower(identity));
    `,
  },
];

// Any constant works as long as every instance uses the same one; this is "countersign.migrate" hashed.
const MIGRATION_LOCK = 7_340_851_296_473_019;

/**
 * Applies every migration not yet recorded in `countersign_migrations`, in one
 * transaction under a transaction-scoped advisory lock: when several instances
 * start at once, the first migrates and the others wait, then find nothing to
 * do. Postgres DDL is transactional, so a failed migration leaves no trace.
 */
export async function runMigrations(
  database: Database,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<void> {
  await database.transaction(async (transaction) => {
    await transaction.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK]);
    await transaction.query(
      `CREATE TABLE IF NOT EXISTS countersign_migrations (
        version integer PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`,
    );
    const rows = await transaction.query("SELECT version FROM countersign_migrations");
    const applied = new Set(rows.map((row) => Number(row.version)));
    for (const migration of migrations) {
      if (applied.has(migration.version)) continue;
      await transaction.query(migration.sql);
      await transaction.query("INSERT INTO countersign_migrations (version, name) VALUES ($1, $2)", [
        migration.version,
        migration.name,
      ]);
    }
    // The tree is computed in JavaScript (JCS, SHA-256): a log from before version 30 gets its tree here.
    if (migrations === MIGRATIONS) await backfillAuditTree(transaction);
  });
}
