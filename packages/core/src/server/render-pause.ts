import type { Pause } from "../protocol/pause.ts";
import type { PauseRecord } from "../store/records.ts";

/** The wire shape of a stored pause. */
export function renderPause(record: PauseRecord, baseUrl: string): Pause {
  const self = `${baseUrl}/v1/pauses/${record.pauseId}`;
  return {
    object: "pause",
    pause_id: record.pauseId,
    status: record.status,
    agent_id: record.agentId,
    action: record.action,
    recipients: record.recipients,
    webhook_url: record.webhookUrl,
    context: record.context as Pause["context"],
    metadata: record.metadata as Pause["metadata"],
    created_at: record.createdAt,
    expires_at: record.expiresAt,
    decision: record.decision,
    proof: record.proof,
    claimed_at: record.claimedAt,
    execution: record.execution ?? null,
    routing: record.routing,
    links: {
      self,
      events: `${self}/events`,
      decision: `${self}/decision`,
      inbox: `${baseUrl}/inbox/pauses/${record.pauseId}`,
    },
  };
}
