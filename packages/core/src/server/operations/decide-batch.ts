import { isCountersignError } from "../../errors/countersign-error.ts";
import type {
  BatchDecisionItem,
  BatchDecisionRequest,
  BatchDecisionResult,
} from "../../protocol/batch-decision.ts";
import type { Approver } from "../approval-service.ts";
import type { ServiceContext } from "../service-context.ts";
import { decidePause } from "./decide-pause.ts";

/**
 * Decides many pauses with one decision: each through `decidePause`, one
 * after another, exactly as if decided alone — its own decision rights
 * (routing, never the requester), quorum and compare-and-set, its own proof
 * and audit events. A batch never lets anyone decide what they could not
 * decide one by one; an item that fails says why and the rest go on.
 */
export async function decideBatch(
  context: ServiceContext,
  request: BatchDecisionRequest,
  approver: Approver,
): Promise<BatchDecisionResult> {
  const results: BatchDecisionItem[] = [];
  for (const pauseId of request.pause_ids) {
    try {
      const pause = await decidePause(
        context,
        pauseId,
        { decision: request.decision, ...(request.reason !== undefined && { reason: request.reason }) },
        approver,
      );
      results.push({ pause_id: pauseId, status: pause.status, proof_id: pause.proof?.proof_id ?? null });
    } catch (error) {
      if (isCountersignError(error)) {
        const current = error.code === "not_found" ? null : await context.store.getPause(pauseId);
        results.push({
          pause_id: pauseId,
          status: current?.status ?? null,
          proof_id: null,
          error: { code: error.code, status: error.status, detail: error.message },
        });
        continue;
      }
      // An unknown failure still answers for every item: what was decided stays decided.
      context.log.error("batch decision item failed", {
        pause_id: pauseId,
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      });
      results.push({
        pause_id: pauseId,
        status: null,
        proof_id: null,
        error: { code: "internal_error", status: 500, detail: "Internal error" },
      });
    }
  }
  const failed = results.filter((item) => item.error !== undefined).length;
  return {
    object: "batch_decision",
    decision: request.decision,
    decided: results.length - failed,
    failed,
    results,
  };
}
