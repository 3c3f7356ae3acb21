import { CountersignError } from "../../errors/countersign-error.ts";
import type { AuditInput, DecisionUpdate, DelegationUse, PauseRecord } from "../../store/records.ts";
import type { ServiceContext } from "../service-context.ts";
import { webhookDelivery } from "../service-context.ts";
import { endpointDeliveries, settledEvent } from "../webhook-endpoints/endpoint-deliveries.ts";

/**
 * Moves a pause out of `pending` with a compare-and-set; the webhook
 * deliveries (its own `webhook_url`, the registered endpoints) and the audit
 * event commit with it. Returns the decided pause for the winner; a loser
 * gets `already_decided` naming who won. With `delegation`, the write happens
 * only while that delegation is in force.
 */
export async function settlePause(
  context: ServiceContext,
  record: PauseRecord,
  update: DecisionUpdate,
  audit: AuditInput[],
  delegation?: DelegationUse,
): Promise<PauseRecord> {
  const now = context.now();
  const decided: PauseRecord = { ...record, ...update };
  const delivery = webhookDelivery(context, decided, now);
  const deliveries = await endpointDeliveries(context, settledEvent(decided), decided, now);
  const result = await context.store.decide(record.pauseId, update, {
    ...(delivery && { delivery }),
    deliveries,
    audit,
    ...(delegation && { delegation }),
  });
  if (!result)
    throw new CountersignError("not_found", `No pause ${record.pauseId}`, { pauseId: record.pauseId });
  if (result.delegationEnded) throw delegationEnded(record.pauseId);
  if (!result.ok) throw alreadyDecided(result.pause);
  if (delivery || deliveries.length > 0) context.wakeDeliveries();
  context.metrics.pauseSettled(result.pause);
  context.onLifecycle(result.pause, "settled");
  return result.pause;
}

export function alreadyDecided(pause: PauseRecord): CountersignError {
  const by = pause.decision ? ` by ${pause.decision.decided_by.id}` : "";
  const at = pause.decision ? ` at ${pause.decision.decided_at}` : "";
  return new CountersignError("already_decided", `The pause is already ${pause.status}${by}${at}`, {
    pauseId: pause.pauseId,
  });
}

/** A delegate's decision that reached the store after the delegation was revoked or ran out. */
export function delegationEnded(pauseId: string): CountersignError {
  return new CountersignError(
    "forbidden",
    "The delegation this decision relied on was revoked or has ended; nothing was recorded",
    { pauseId },
  );
}
