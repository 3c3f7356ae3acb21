import type { PushSubscriptionRecord } from "../records.ts";
import type { SqliteConnection } from "./sqlite-connection.ts";
import { canonicalTimestamp } from "./timestamps.ts";

const COLUMNS = "endpoint, identity, p256dh, auth, created_at";

/** One row per endpoint: subscribing again (or as another approver) replaces the row. */
export function putPushSubscription(
  connection: SqliteConnection,
  subscription: PushSubscriptionRecord,
): void {
  connection
    .statement(
      `INSERT INTO push_subscriptions (${COLUMNS}) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (endpoint) DO UPDATE SET identity = excluded.identity, p256dh = excluded.p256dh,
         auth = excluded.auth, created_at = excluded.created_at`,
    )
    .run(
      subscription.endpoint,
      subscription.identity,
      subscription.p256dh,
      subscription.auth,
      canonicalTimestamp(subscription.createdAt),
    );
}

export function listPushSubscriptions(
  connection: SqliteConnection,
  identity?: string,
): PushSubscriptionRecord[] {
  const rows =
    identity === undefined
      ? connection.statement(`SELECT ${COLUMNS} FROM push_subscriptions ORDER BY created_at, endpoint`).all()
      : connection
          .statement(
            `SELECT ${COLUMNS} FROM push_subscriptions WHERE lower(identity) = lower(?) ORDER BY created_at, endpoint`,
          )
          .all(identity.trim());
  return rows.map((row) => ({
    endpoint: String(row.endpoint),
    identity: String(row.identity),
    p256dh: String(row.p256dh),
    auth: String(row.auth),
    createdAt: String(row.created_at),
  }));
}

export function deletePushSubscription(
  connection: SqliteConnection,
  endpoint: string,
  identity?: string,
): boolean {
  const { changes } =
    identity === undefined
      ? connection.statement("DELETE FROM push_subscriptions WHERE endpoint = ?").run(endpoint)
      : connection
          .statement("DELETE FROM push_subscriptions WHERE endpoint = ? AND lower(identity) = lower(?)")
          .run(endpoint, identity.trim());
  return Number(changes) === 1;
}
