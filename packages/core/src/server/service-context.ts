import type { Pause } from "../protocol/pause.ts";
import type { Channel, Recipient } from "../protocol/pause-request.ts";
import type { DeliveryRecord, PauseRecord } from "../store/records.ts";
import type { Store } from "../store/store.ts";
import type { PauseRoutedListener } from "./channel-notifier.ts";
import type { ServerMetrics } from "./observability/server-metrics.ts";
import type { PolicyHook } from "./policy-hook.ts";
import { renderPause } from "./render-pause.ts";
import type { ServerKeys } from "./server-keys.ts";

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** What the server's operations share. */
export interface ServiceContext {
  store: Store;
  keys: ServerKeys;
  now: () => Date;
  baseUrl: () => string;
  proofTtlSeconds: number;
  policy: PolicyHook | undefined;
  /** Channel targets agents may name as recipients (config, channels, the policy file), read per request. */
  allowedTargets: () => Partial<Record<Channel, string[]>>;
  log: Logger;
  /**
   * Called after a pause is opened, leaves pending (channels update their
   * cards) or is escalated (`recipients`: who is told now).
   */
  onLifecycle: (
    record: PauseRecord,
    event: "opened" | "settled" | "escalated",
    recipients?: Recipient[],
  ) => void;
  /** Subscribes to the pauses this process opens or escalates (after the channels are told). */
  onPauseRouted: (listener: PauseRoutedListener) => () => void;
  /** Called after a webhook delivery is queued, so the worker sends it at once. */
  wakeDeliveries: () => void;
  /** Counts what happens to pauses (`GET /metrics`). */
  metrics: ServerMetrics;
  /** Webhook endpoints may be registered on private and loopback addresses (the server's `webhooks.allowPrivateTargets`). */
  allowPrivateWebhookTargets?: boolean;
}

export function render(context: ServiceContext, record: PauseRecord): Pause {
  return renderPause(record, context.baseUrl());
}

/**
 * The outbox row for a decided pause (`pause.decided`); none when it has no
 * webhook URL. A pause's `webhook_url` is told the decision only: it is where
 * a waiting run resumes, and a second message would resume it twice. The
 * execution receipt is on the pause and in the audit log (`pause.executed`).
 */
export function webhookDelivery(
  context: ServiceContext,
  decided: PauseRecord,
  now: Date,
): DeliveryRecord | undefined {
  if (!decided.webhookUrl) return undefined;
  const payload = JSON.stringify({
    type: "pause.decided",
    timestamp: now.toISOString(),
    data: { pause: render(context, decided), proof: decided.proof },
  });
  return {
    deliveryId: `msg_${decided.pauseId.slice(4)}_${now.getTime().toString(36)}`,
    pauseId: decided.pauseId,
    endpointId: null,
    url: decided.webhookUrl,
    payload,
    status: "pending",
    attempts: 0,
    nextAttemptAt: now.toISOString(),
    leaseUntil: null,
    lastStatus: null,
    lastError: null,
    createdAt: now.toISOString(),
  };
}
