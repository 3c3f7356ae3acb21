import type { ApprovalVote, AuditInput, DelegationUse } from "../records.ts";
import { appendAuditEvents } from "./audit-operations.ts";
import { delegationActive } from "./delegation-operations.ts";
import type { SqliteConnection } from "./sqlite-connection.ts";
import { canonicalTimestamp } from "./timestamps.ts";

type AddApprovalResult = {
  outcome: "added" | "duplicate" | "not_pending" | "delegation_ended";
  approvals: ApprovalVote[];
} | null;

/**
 * One vote per seat: the primary key (pause_id, identity) makes a second vote
 * by one person a no-op, and the seat check (inside the write transaction)
 * refuses a vote by or for someone whose seat a delegator or delegate already took.
 */
export function addApproval(
  connection: SqliteConnection,
  vote: ApprovalVote,
  audit: AuditInput,
  guard: { delegation?: DelegationUse } = {},
): AddApprovalResult {
  return connection.transaction(() => {
    const pause = connection.statement("SELECT status FROM pauses WHERE pause_id = ?").get(vote.pauseId);
    if (pause === undefined) return null;
    if (pause.status !== "pending")
      return { outcome: "not_pending", approvals: listApprovals(connection, vote.pauseId) };
    if (guard.delegation !== undefined && !delegationActive(connection, guard.delegation)) {
      return { outcome: "delegation_ended", approvals: listApprovals(connection, vote.pauseId) };
    }
    const onBehalfOf = vote.onBehalfOf ?? null;
    const seatTaken = connection
      .statement(
        `SELECT 1 AS taken FROM approvals WHERE pause_id = ?
          AND (lower(on_behalf_of) = lower(?) OR (? IS NOT NULL AND (lower(identity) = lower(?) OR lower(on_behalf_of) = lower(?))))
          LIMIT 1`,
      )
      .get(vote.pauseId, vote.identity, onBehalfOf, onBehalfOf, onBehalfOf);
    if (seatTaken !== undefined) {
      return { outcome: "duplicate", approvals: listApprovals(connection, vote.pauseId) };
    }
    const { changes } = connection
      .statement(
        `INSERT INTO approvals (pause_id, identity, channel, at, data, on_behalf_of, seq)
         SELECT ?, ?, ?, ?, ?, ?, COALESCE(MAX(seq), 0) + 1 FROM approvals WHERE pause_id = ?
         ON CONFLICT (pause_id, identity) DO NOTHING`,
      )
      .run(
        vote.pauseId,
        vote.identity,
        vote.channel,
        canonicalTimestamp(vote.at),
        vote.data === null ? null : JSON.stringify(vote.data),
        onBehalfOf,
        vote.pauseId,
      );
    const added = Number(changes) === 1;
    if (added) appendAuditEvents(connection, [audit]);
    return { outcome: added ? "added" : "duplicate", approvals: listApprovals(connection, vote.pauseId) };
  });
}

export function listApprovals(connection: SqliteConnection, pauseId: string): ApprovalVote[] {
  return connection
    .statement(
      "SELECT pause_id, identity, channel, at, data, on_behalf_of FROM approvals WHERE pause_id = ? ORDER BY seq",
    )
    .all(pauseId)
    .map((row) => ({
      pauseId: String(row.pause_id),
      identity: String(row.identity),
      channel: String(row.channel),
      at: String(row.at),
      data: row.data === null ? null : (JSON.parse(String(row.data)) as Record<string, unknown>),
      onBehalfOf: row.on_behalf_of === null ? null : String(row.on_behalf_of),
    }));
}
