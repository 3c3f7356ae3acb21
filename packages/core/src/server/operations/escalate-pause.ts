import type { Routing } from "../../protocol/pause.ts";
import type { PauseRecord } from "../../store/records.ts";
import type { ServiceContext } from "../service-context.ts";

const BATCH = 100;

/**
 * Escalates every pending pause whose escalation is due; returns how many.
 * The store hands each due pause out once (an indexed claim), so the sweep
 * costs nothing while none is due, and two server processes never both
 * escalate one pause.
 */
export async function escalateDuePauses(context: ServiceContext): Promise<number> {
  const now = context.now();
  let escalated = 0;
  for (;;) {
    const due = await context.store.claimDueEscalations(now.toISOString(), BATCH);
    for (const record of due) {
      const routing = record.routing;
      if (!routing?.escalation || routing.escalated_at !== null) continue;
      if (Date.parse(record.expiresAt) <= now.getTime()) continue; // expiry comes first
      if (await escalatePause(context, record, routing)) escalated++;
    }
    if (due.length < BATCH) return escalated;
  }
}

/**
 * Re-routes one pause to its escalation group, once: the escalation group
 * joins the approvers (the first ones may still decide), the audit log
 * records `pause.escalated`, and the channels tell the escalation's recipients.
 */
async function escalatePause(
  context: ServiceContext,
  record: PauseRecord,
  routing: Routing,
): Promise<PauseRecord | null> {
  const escalation = routing.escalation!;
  // Once, also with several server processes: the first to spend this token escalates.
  if (!(await context.store.consumeToken(`escalate:${record.pauseId}`, record.expiresAt))) return null;
  const at = context.now().toISOString();
  const approvers =
    routing.approvers === null ? null : [...new Set([...routing.approvers, ...escalation.to])];
  const updated = await context.store.updateRouting(record.pauseId, { approvers, escalated_at: at }, [
    {
      type: "pause.escalated",
      pauseId: record.pauseId,
      agentId: record.agentId,
      actor: { kind: "system", id: "escalation" },
      at,
      data: {
        rule: routing.rule,
        after_seconds: escalation.after_seconds,
        to: escalation.to,
        approvers,
        recipients: escalation.recipients,
      },
    },
  ]);
  if (updated === null || updated.status !== "pending") return null;
  context.onLifecycle(updated, "escalated", escalation.recipients);
  return updated;
}
