import type { ApprovalVote, AuditInput } from "@countersign/core/server";
import type { Database, Transaction } from "../database.ts";
import { toJsonOrNull } from "../row-mapping.ts";
import { canonicalTimestamp, fromTimestamp } from "../timestamps.ts";
import { appendAuditEvents } from "./audit-operations.ts";
import { notifyColumn } from "./pause-operations.ts";

type AddApprovalResult = { outcome: "added" | "duplicate" | "not_pending"; approvals: ApprovalVote[] } | null;

/**
 * One vote per identity: the primary key (pause_id, identity) turns a second
 * vote into a no-op. The pause row is locked first, so a vote and a decision
 * on the same pause take turns: no vote lands on a pause that has just been decided.
 */
export async function addApproval(
  database: Database,
  channel: string,
  vote: ApprovalVote,
  audit: AuditInput,
): Promise<AddApprovalResult> {
  const at = canonicalTimestamp(vote.at);
  return database.transaction(async (transaction) => {
    const [pause] = await transaction.query("SELECT status FROM pauses WHERE pause_id = $1 FOR UPDATE", [
      vote.pauseId,
    ]);
    if (pause === undefined) return null;
    if (pause.status !== "pending") {
      return { outcome: "not_pending", approvals: await listApprovals(transaction, vote.pauseId) };
    }
    const inserted = await transaction.query(
      `INSERT INTO approvals (pause_id, identity, channel, at, data) VALUES ($1, $2, $3, $4::timestamptz, $5::json)
        ON CONFLICT (pause_id, identity) DO NOTHING RETURNING identity`,
      [vote.pauseId, vote.identity, vote.channel, at, toJsonOrNull(vote.data)],
    );
    const added = inserted.length === 1;
    if (added) {
      // A vote is a change of the pause for waiters (an inbox shows the count), so it bumps and notifies too.
      const [changed] = await transaction.query(
        `WITH changed AS (
          UPDATE pauses SET version = version + 1, updated_at = clock_timestamp() WHERE pause_id = $1
          RETURNING pause_id, version
        )
        SELECT changed.*, ${notifyColumn("$2")} FROM changed`,
        [vote.pauseId, channel],
      );
      transaction.changed({ pauseId: vote.pauseId, version: Number(changed!.version) });
      await appendAuditEvents(transaction, [audit]);
    }
    return {
      outcome: added ? "added" : "duplicate",
      approvals: await listApprovals(transaction, vote.pauseId),
    };
  });
}

export async function listApprovals(
  queryable: Pick<Database, "query"> | Transaction,
  pauseId: string,
): Promise<ApprovalVote[]> {
  const rows = await queryable.query(
    "SELECT pause_id, identity, channel, at, data FROM approvals WHERE pause_id = $1 ORDER BY seq",
    [pauseId],
  );
  return rows.map((row) => ({
    pauseId: String(row.pause_id),
    identity: String(row.identity),
    channel: String(row.channel),
    at: fromTimestamp(row.at),
    data: (row.data ?? null) as Record<string, unknown> | null,
  }));
}
