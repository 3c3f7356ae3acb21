import type { PushSubscriptionRecord } from "@countersign/core/server";
import type { Database } from "../database.ts";
import { canonicalTimestamp, fromTimestamp } from "../timestamps.ts";

const COLUMNS = "endpoint, identity, p256dh, auth, created_at";

/** One row per endpoint: subscribing again (or as another approver) replaces the row. */
export async function putPushSubscription(
  database: Database,
  subscription: PushSubscriptionRecord,
): Promise<void> {
  await database.query(
    `INSERT INTO push_subscriptions (${COLUMNS}) VALUES ($1, $2, $3, $4, $5::timestamptz)
     ON CONFLICT (endpoint) DO UPDATE SET identity = excluded.identity, p256dh = excluded.p256dh,
       auth = excluded.auth, created_at = excluded.created_at`,
    [
      subscription.endpoint,
      subscription.identity,
      subscription.p256dh,
      subscription.auth,
      canonicalTimestamp(subscription.createdAt),
    ],
  );
}

export async function listPushSubscriptions(
  database: Database,
  identity?: string,
): Promise<PushSubscriptionRecord[]> {
  const rows =
    identity === undefined
      ? await database.query(`SELECT ${COLUMNS} FROM push_subscriptions ORDER BY created_at, endpoint`)
      : await database.query(
          `SELECT ${COLUMNS} FROM push_subscriptions WHERE lower(identity) = lower($1) ORDER BY created_at, endpoint`,
          [identity.trim()],
        );
  return rows.map((row) => ({
    endpoint: String(row.endpoint),
    identity: String(row.identity),
    p256dh: String(row.p256dh),
    auth: String(row.auth),
    createdAt: fromTimestamp(row.created_at),
  }));
}

export async function deletePushSubscription(
  database: Database,
  endpoint: string,
  identity?: string,
): Promise<boolean> {
  const rows =
    identity === undefined
      ? await database.query("DELETE FROM push_subscriptions WHERE endpoint = $1 RETURNING endpoint", [
          endpoint,
        ])
      : await database.query(
          "DELETE FROM push_subscriptions WHERE endpoint = $1 AND lower(identity) = lower($2) RETURNING endpoint",
          [endpoint, identity.trim()],
        );
  return rows.length === 1;
}
