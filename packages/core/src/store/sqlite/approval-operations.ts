import type { ApprovalVote, AuditInput } from "../records.ts";
import { appendAuditEvents } from "./audit-operations.ts";
import type { SqliteConnection } from "./sqlite-connection.ts";
import { canonicalTimestamp } from "./timestamps.ts";

type AddApprovalResult = { outcome: "added" | "duplicate" | "not_pending"; approvals: ApprovalVote[] } | null;

/** One vote per identity: the primary key (pause_id, identity) makes a second vote a no-op. */
export function addApproval(
  connection: SqliteConnection,
  vote: ApprovalVote,
  audit: AuditInput,
): AddApprovalResult {
  return connection.transaction(() => {
    const pause = connection.statement("SELECT status FROM pauses WHERE pause_id = ?").get(vote.pauseId);
    if (pause === undefined) return null;
    if (pause.status !== "pending")
      return { outcome: "not_pending", approvals: listApprovals(connection, vote.pauseId) };
    const { changes } = connection
      .statement(
        `INSERT INTO approvals (pause_id, identity, channel, at, data, seq)
         SELECT ?, ?, ?, ?, ?, COALESCE(MAX(seq), 0) + 1 FROM approvals WHERE pause_id = ?
         ON CONFLICT (pause_id, identity) DO NOTHING`,
      )
      .run(
        vote.pauseId,
        vote.identity,
        vote.channel,
        canonicalTimestamp(vote.at),
        vote.data === null ? null : JSON.stringify(vote.data),
        vote.pauseId,
      );
    const added = Number(changes) === 1;
    if (added) appendAuditEvents(connection, [audit]);
    return { outcome: added ? "added" : "duplicate", approvals: listApprovals(connection, vote.pauseId) };
  });
}

export function listApprovals(connection: SqliteConnection, pauseId: string): ApprovalVote[] {
  return connection
    .statement("SELECT pause_id, identity, channel, at, data FROM approvals WHERE pause_id = ? ORDER BY seq")
    .all(pauseId)
    .map((row) => ({
      pauseId: String(row.pause_id),
      identity: String(row.identity),
      channel: String(row.channel),
      at: String(row.at),
      data: row.data === null ? null : (JSON.parse(String(row.data)) as Record<string, unknown>),
    }));
}
