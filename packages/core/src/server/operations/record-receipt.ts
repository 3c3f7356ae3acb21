import { CountersignError } from "../../errors/countersign-error.ts";
import { signReceipt } from "../../proof/sign-receipt.ts";
import { newId } from "../../protocol/ids.ts";
import { RECEIPT_VERSION, type ReceiptRequest } from "../../protocol/receipt.ts";
import type { ApiKeyRecord, PauseRecord } from "../../store/records.ts";
import type { ServiceContext } from "../service-context.ts";
import { endpointDeliveries } from "../webhook-endpoints/endpoint-deliveries.ts";
import { readOwnPause } from "./read-pause.ts";

/**
 * The execution receipt: the key that claimed a pause reports, once, how the
 * approved action ended. The server signs what was reported (it cannot know
 * more), stores it with a compare-and-set, and appends `pause.executed`.
 */
export async function recordReceipt(
  context: ServiceContext,
  pauseId: string,
  key: ApiKeyRecord,
  request: ReceiptRequest,
): Promise<PauseRecord> {
  if (request.outcome === "succeeded" && request.error !== undefined) {
    throw new CountersignError("invalid_request", "error: only a failed outcome carries an error", {
      pauseId,
      errors: [{ path: "error", message: "only with outcome failed" }],
    });
  }
  const record = await readOwnPause(context, pauseId, key);
  if (record.claimedAt === null || !record.proof) {
    throw new CountersignError(
      "not_claimed",
      `The pause is ${record.status} and unclaimed; claim it before running the action, then report`,
      { pauseId },
    );
  }
  // Pauses claimed before receipts existed name no claimer: their owner's key reports.
  const claimer = record.claimedBy ?? record.ownerKeyId;
  if (claimer !== key.keyId) {
    throw new CountersignError("forbidden", "Only the key that claimed this pause may report its receipt", {
      pauseId,
    });
  }
  if (record.execution) throw alreadyReported(record);
  const now = context.now();
  const execution = await signReceipt(
    {
      v: RECEIPT_VERSION,
      receipt_id: newId("receipt"),
      pause_id: pauseId,
      proof_id: record.proof.proof_id,
      agent_id: record.agentId,
      action_digest: record.proof.action_digest,
      outcome: request.outcome,
      result_digest: request.result_digest ?? null,
      error: request.error ?? null,
      reported_by: {
        kind: key.role === "executor" ? "executor" : "agent",
        key_id: key.keyId,
        identity: key.identity,
      },
      claimed_at: record.claimedAt,
      reported_at: now.toISOString(),
    },
    context.keys.signing,
  );
  const audit = [
    {
      type: "pause.executed" as const,
      pauseId,
      agentId: record.agentId,
      actor: { kind: execution.reported_by.kind, id: key.keyId },
      at: now.toISOString(),
      data: {
        receipt_id: execution.receipt_id,
        proof_id: execution.proof_id,
        outcome: execution.outcome,
        result_digest: execution.result_digest,
      },
    },
  ];
  // A pause's own webhook_url is not told (it resumes a run); registered endpoints that asked are.
  const deliveries = await endpointDeliveries(context, "pause.executed", { ...record, execution }, now);
  const result = await context.store.recordExecution(pauseId, execution, { deliveries, audit });
  if (!result) throw new CountersignError("not_found", `No pause ${pauseId}`, { pauseId });
  if (!result.ok) throw alreadyReported(result.pause);
  if (deliveries.length > 0) context.wakeDeliveries();
  return result.pause;
}

function alreadyReported(pause: PauseRecord): CountersignError {
  const at = pause.execution ? ` (${pause.execution.outcome} at ${pause.execution.reported_at})` : "";
  return new CountersignError("already_reported", `The execution was already reported${at}`, {
    pauseId: pause.pauseId,
  });
}
