import type { ApprovalVote, AuditInput, DelegationUse } from "@countersign/core/server";
import type { Database, Transaction } from "../database.ts";
import { toJsonOrNull } from "../row-mapping.ts";
import { canonicalTimestamp, fromTimestamp } from "../timestamps.ts";
import { appendAuditEvents } from "./audit-operations.ts";
import { delegationActive } from "./delegation-operations.ts";
import { notifyColumn } from "./pause-operations.ts";

type AddApprovalResult = {
  outcome: "added" | "duplicate" | "not_pending" | "delegation_ended";
  approvals: ApprovalVote[];
} | null;

/**
 * One vote per seat: the primary key (pause_id, identity) turns a second
 * vote by one person into a no-op, and the seat check refuses a vote by or for
 * someone whose seat a delegator or delegate already took. The pause row is
 * locked first, so votes and decisions on the same pause take turns: no vote
 * lands on a pause that has just been decided, and the seat check sees every earlier vote.
 */
export async function addApproval(
  database: Database,
  channel: string,
  vote: ApprovalVote,
  audit: AuditInput,
  guard: { delegation?: DelegationUse } = {},
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
    if (guard.delegation !== undefined && !(await delegationActive(transaction, guard.delegation))) {
      return { outcome: "delegation_ended", approvals: await listApprovals(transaction, vote.pauseId) };
    }
    const onBehalfOf = vote.onBehalfOf ?? null;
    const taken = await transaction.query(
      `SELECT 1 AS taken FROM approvals WHERE pause_id = $1
        AND (lower(on_behalf_of) = lower($2) OR ($3::text IS NOT NULL AND (lower(identity) = lower($3) OR lower(on_behalf_of) = lower($3))))
        LIMIT 1`,
      [vote.pauseId, vote.identity, onBehalfOf],
    );
    if (taken.length > 0) {
      return { outcome: "duplicate", approvals: await listApprovals(transaction, vote.pauseId) };
    }
    const inserted = await transaction.query(
      `INSERT INTO approvals (pause_id, identity, channel, at, data, on_behalf_of)
        VALUES ($1, $2, $3, $4::timestamptz, $5::json, $6)
        ON CONFLICT (pause_id, identity) DO NOTHING RETURNING identity`,
      [vote.pauseId, vote.identity, vote.channel, at, toJsonOrNull(vote.data), onBehalfOf],
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
    "SELECT pause_id, identity, channel, at, data, on_behalf_of FROM approvals WHERE pause_id = $1 ORDER BY seq",
    [pauseId],
  );
  return rows.map((row) => ({
    pauseId: String(row.pause_id),
    identity: String(row.identity),
    channel: String(row.channel),
    at: fromTimestamp(row.at),
    data: (row.data ?? null) as Record<string, unknown> | null,
    onBehalfOf: row.on_behalf_of === null || row.on_behalf_of === undefined ? null : String(row.on_behalf_of),
  }));
}
