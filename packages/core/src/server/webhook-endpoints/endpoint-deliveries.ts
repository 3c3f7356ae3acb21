import { matchesGlob } from "../../policy/glob.ts";
import { newId } from "../../protocol/ids.ts";
import type { WebhookEndpointEvent } from "../../protocol/webhook-endpoint.ts";
import type { DeliveryRecord, PauseRecord, WebhookEndpointRecord } from "../../store/records.ts";
import { render, type ServiceContext } from "../service-context.ts";

/** The endpoint event a pause leaving `pending` is: expiry has its own; approve, reject and cancel are decisions. */
export function settledEvent(pause: PauseRecord): WebhookEndpointEvent {
  return pause.status === "expired" ? "pause.expired" : "pause.decided";
}

function wants(endpoint: WebhookEndpointRecord, event: WebhookEndpointEvent, pause: PauseRecord): boolean {
  if (!endpoint.events.includes(event)) return false;
  const agentId = endpoint.filter?.agentId;
  const actionType = endpoint.filter?.actionType;
  if (agentId && !matchesGlob(agentId, pause.agentId)) return false;
  if (actionType && !matchesGlob(actionType, pause.action.type)) return false;
  return true;
}

/**
 * One outbox row per enabled endpoint that wants `event` for this pause, to
 * be enqueued in the transaction that makes the change. An endpoint
 * registered after this read misses this event (as with Stripe: events from
 * registration on); one disabled after it is checked again when sending.
 */
export async function endpointDeliveries(
  context: ServiceContext,
  event: WebhookEndpointEvent,
  pause: PauseRecord,
  now: Date,
): Promise<DeliveryRecord[]> {
  const endpoints = await context.store.listWebhookEndpoints({ enabledOnly: true });
  const wanted = endpoints.filter((endpoint) => wants(endpoint, event, pause));
  if (wanted.length === 0) return [];
  const timestamp = now.toISOString();
  const payload = JSON.stringify({
    type: event,
    timestamp,
    data: { pause: render(context, pause), proof: pause.proof, receipt: pause.execution ?? null },
  });
  return wanted.map((endpoint) => ({
    deliveryId: newId("webhookMessage"),
    pauseId: pause.pauseId,
    endpointId: endpoint.endpointId,
    url: endpoint.url,
    payload,
    status: "pending",
    attempts: 0,
    nextAttemptAt: timestamp,
    leaseUntil: null,
    lastStatus: null,
    lastError: null,
    createdAt: timestamp,
  }));
}
