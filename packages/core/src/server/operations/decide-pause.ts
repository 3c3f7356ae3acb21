import { CountersignError } from "../../errors/countersign-error.ts";
import type { PauseRecord } from "../../store/records.ts";
import type { Approver, DecideInput } from "../approval-service.ts";
import { issueProof } from "../proof-issuer.ts";
import type { ServiceContext } from "../service-context.ts";
import { freshPause } from "./expire-pause.ts";
import { alreadyDecided, settlePause } from "./settle-pause.ts";

/**
 * A human decides a pending pause. Rules: the pause exists and is pending
 * (else `already_decided`), the approver is not the requester (`forbidden`),
 * edited data only with an approval. The write is a compare-and-set.
 */
export async function decidePause(
  context: ServiceContext,
  pauseId: string,
  input: DecideInput,
  approver: Approver,
): Promise<PauseRecord> {
  const record = await freshPause(context, pauseId);
  if (!record) throw new CountersignError("not_found", `No pause ${pauseId}`, { pauseId });
  if (record.status !== "pending") throw alreadyDecided(record);
  if (record.requestedBy !== null && record.requestedBy === approver.identity) {
    throw new CountersignError("forbidden", "An approver may not decide a pause they requested themselves", {
      pauseId,
    });
  }
  if (input.data !== undefined && input.decision !== "approve") {
    throw new CountersignError("invalid_request", "Edited data can only accompany an approval", {
      pauseId,
      errors: [{ path: "data", message: "only allowed with decision approve" }],
    });
  }
  const now = context.now();
  const approved = input.decision === "approve";
  const decidedBy = { kind: "human" as const, id: approver.identity, channel: approver.channel };
  const reason = input.reason ?? null;
  const data = input.data ?? null;
  const proof = await issueProof(
    record,
    { decision: approved ? "approved" : "rejected", decidedBy, reason, data },
    { keys: context.keys.signing, now, ttlSeconds: context.proofTtlSeconds },
  );
  const status = approved ? "approved" : "rejected";
  return settlePause(
    context,
    record,
    {
      status,
      decision: { status, decided_by: decidedBy, reason, data, decided_at: now.toISOString() },
      proof,
    },
    [
      {
        type: "pause.decided",
        pauseId,
        agentId: record.agentId,
        actor: { kind: "human", id: approver.identity },
        at: now.toISOString(),
        data: {
          decision: status,
          channel: approver.channel,
          reason,
          edited: data !== null,
          proof_id: proof.proof_id,
        },
      },
    ],
  );
}
