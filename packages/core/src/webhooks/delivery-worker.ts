import type { Span } from "@opentelemetry/api";
import { CountersignError } from "../errors/countersign-error.ts";
import { inSpan } from "../observability/tracing.ts";
import type { AuditEventType } from "../protocol/audit-event.ts";
import type { DeliveryRecord, DeliveryStatus } from "../store/records.ts";
import type { Store } from "../store/store.ts";
import { deliveryTarget, signWithEach } from "./delivery-target.ts";
import { nextRetryDelayMs } from "./retry-schedule.ts";
import { DEFAULT_WEBHOOK_TIMEOUT_MS, type SendWebhookResult, sendWebhook } from "./send-webhook.ts";
import { decodeWebhookSecret } from "./standard-webhooks.ts";

/** The same shape as the server's logger. */
export interface DeliveryLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface DeliveryWorkerOptions {
  store: Store;
  /** The `whsec_` secret deliveries to a pause's `webhook_url` are signed with (registered endpoints have their own). */
  secret: string;
  /** Allow loopback and private targets. Default false (SSRF protection). */
  allowPrivateTargets?: boolean;
  /** Per attempt, connect to response. Default 10 s. */
  timeoutMs?: number;
  /** How often `start()` looks for due deliveries. Default 1 s. */
  intervalMs?: number;
  /** Deliveries leased and sent at once. Default 10. */
  batchSize?: number;
  /** How long a leased delivery is kept from other workers; must exceed `timeoutMs`. Default max(60 s, 2 × timeoutMs). */
  leaseMs?: number;
  now?: () => Date;
  /** [0, 1) source for retry jitter. Default Math.random. */
  random?: () => number;
  log?: DeliveryLogger;
  /** Told about every attempt and poll (the server's metrics). */
  observe?: DeliveryObserver;
}

/** What the worker reports as it goes. */
export interface DeliveryObserver {
  attempt(outcome: "delivered" | "retry" | "failed" | "disabled" | "unrecorded"): void;
  /** Deliveries found due at a poll (at most one batch). */
  due?(count: number): void;
  storeError(): void;
}

const OUTCOME = { delivered: "delivered", pending: "retry", failed: "failed", disabled: "disabled" } as const;

export interface DeliveryWorker {
  /** Sends due deliveries every `intervalMs` until `stop()`. */
  start(): void;
  /** Stops the loop and resolves once the batch in flight is recorded. */
  stop(): Promise<void>;
  /** Leases and sends one batch of due deliveries; resolves with how many were attempted. */
  runOnce(): Promise<number>;
  /** Looks for due deliveries now (after one is queued) instead of at the next interval. */
  wake(): void;
}

const ACTOR = { kind: "system", id: "webhooks" } as const;

const silent: DeliveryLogger = { info: () => {}, error: () => {} };

/** The outcome of one attempt: 2xx delivers, 410 Gone disables, anything else retries on the schedule until it runs out. */
function nextState(
  result: SendWebhookResult,
  attempt: number,
  finishedAt: Date,
  random: (() => number) | undefined,
): { status: DeliveryStatus; nextAttemptAt: string | null } {
  if (result.status !== null && result.status >= 200 && result.status < 300) {
    return { status: "delivered", nextAttemptAt: null };
  }
  if (result.status === 410) return { status: "disabled", nextAttemptAt: null };
  const delay = nextRetryDelayMs({
    attemptsMade: attempt,
    retryAfter: result.retryAfter,
    now: finishedAt,
    ...(random && { random }),
  });
  if (delay === null) return { status: "failed", nextAttemptAt: null };
  return { status: "pending", nextAttemptAt: new Date(finishedAt.getTime() + delay).toISOString() };
}

const AUDIT_TYPE: Record<DeliveryStatus, AuditEventType> = {
  pending: "webhook.attempted",
  delivered: "webhook.delivered",
  failed: "webhook.failed",
  disabled: "webhook.failed",
};

/** The URL without credentials or query, for logs: receivers sometimes put tokens there. */
function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return "(invalid URL)";
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Sends queued webhooks from the store's durable outbox. Deliveries are
 * leased, so several workers (or server processes) on one store never send
 * the same delivery at the same time; a worker that dies mid-send leaves a
 * lease that expires, and the delivery is sent again (at least once).
 */
export function createDeliveryWorker(options: DeliveryWorkerOptions): DeliveryWorker {
  const { store, secret } = options;
  decodeWebhookSecret(secret); // fail at start-up, not on the first delivery
  const now = options.now ?? (() => new Date());
  const log = options.log ?? silent;
  const timeoutMs = options.timeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS;
  const intervalMs = options.intervalMs ?? 1_000;
  const batchSize = options.batchSize ?? 10;
  const leaseMs = options.leaseMs ?? Math.max(60_000, 2 * timeoutMs);
  if (leaseMs <= timeoutMs) {
    // A lease that can run out mid-send would let a second worker send the same delivery at once.
    throw new CountersignError(
      "invalid_request",
      `leaseMs (${leaseMs}) must be longer than timeoutMs (${timeoutMs}).`,
    );
  }

  const observe = options.observe;

  /** One attempt, inside the `countersign.webhook.deliver` span (a no-op without an OpenTelemetry SDK). */
  function attemptDelivery(delivery: DeliveryRecord): Promise<void> {
    return inSpan(
      "countersign.webhook.deliver",
      {
        "countersign.delivery_id": delivery.deliveryId,
        "countersign.pause_id": delivery.pauseId,
        "countersign.attempt": delivery.attempts + 1,
      },
      (span) => attemptDeliveryUntraced(delivery, span),
    );
  }

  async function attemptDeliveryUntraced(delivery: DeliveryRecord, span: Span): Promise<void> {
    const attempt = delivery.attempts + 1;
    const startedAt = now();
    let result: SendWebhookResult;
    let stopped = false;
    try {
      const target = await deliveryTarget(store, delivery, secret, startedAt);
      if (target.stopped !== null) {
        stopped = true;
        result = { status: null, error: target.stopped, retryAfter: null, durationMs: 0 };
      } else {
        // The timestamp is this attempt's; the id stays the delivery's, so receivers can deduplicate retries.
        const headers = await signWithEach(target.secrets, {
          id: delivery.deliveryId,
          timestamp: Math.floor(startedAt.getTime() / 1000),
          body: delivery.payload,
        });
        result = await sendWebhook({
          url: target.url,
          body: delivery.payload,
          headers,
          timeoutMs,
          allowPrivateTargets: options.allowPrivateTargets ?? false,
        });
      }
    } catch (error) {
      result = { status: null, error: describe(error), retryAfter: null, durationMs: 0 };
    }
    const finishedAt = now();
    const next = stopped
      ? { status: "disabled" as const, nextAttemptAt: null }
      : nextState(result, attempt, finishedAt, options.random);
    const fields = {
      delivery_id: delivery.deliveryId,
      pause_id: delivery.pauseId,
      attempt,
      status: result.status,
      error: result.error,
      next_attempt_at: next.nextAttemptAt,
    };
    try {
      await store.recordDeliveryAttempt(
        {
          deliveryId: delivery.deliveryId,
          attempt,
          at: startedAt.toISOString(),
          status: result.status,
          error: result.error,
          durationMs: result.durationMs,
        },
        next,
        {
          type: AUDIT_TYPE[next.status],
          pauseId: delivery.pauseId,
          agentId: null,
          actor: ACTOR,
          at: finishedAt.toISOString(),
          data: { ...fields, url: delivery.url, delivery_status: next.status },
        },
      );
    } catch (error) {
      // The lease runs out and the delivery is sent again: at least once, never lost.
      log.error("webhook attempt could not be recorded", { ...fields, store_error: describe(error) });
      observe?.attempt("unrecorded");
      observe?.storeError();
      throw new Error("the webhook attempt could not be recorded; it will be sent again");
    }
    observe?.attempt(OUTCOME[next.status]);
    span.setAttributes({
      "countersign.delivery_status": next.status,
      ...(result.status !== null && { "http.response.status_code": result.status }),
    });
    const logged = { ...fields, url: redactUrl(delivery.url), delivery_status: next.status };
    if (next.status === "delivered") log.info("webhook delivered", logged);
    else if (next.status === "pending") log.info("webhook attempt failed; will retry", logged);
    else
      log.error(
        next.status === "disabled" ? "webhook disabled by receiver (410)" : "webhook delivery failed",
        logged,
      );
  }

  async function runOnce(): Promise<number> {
    const leased = await store.leaseDueDeliveries(now().toISOString(), batchSize, leaseMs);
    observe?.due?.(leased.length);
    // A failed record is logged and marks its span; the others in the batch go on.
    await Promise.all(leased.map((delivery) => attemptDelivery(delivery).catch(() => {})));
    return leased.length;
  }

  let started = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let inFlight: Promise<void> | null = null;
  let wokenWhileRunning = false;

  function schedule(delayMs: number): void {
    if (!started) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(tick, delayMs);
    // The worker alone never keeps the process alive.
    timer.unref?.();
  }

  function tick(): void {
    timer = null;
    if (!started || inFlight) return;
    wokenWhileRunning = false;
    inFlight = runOnce()
      .then(
        // A full batch means more may be due: go again at once.
        (count) => count >= batchSize,
        (error: unknown) => {
          log.error("webhook worker could not lease deliveries", { error: describe(error) });
          observe?.storeError();
          return false;
        },
      )
      .then((more) => {
        inFlight = null;
        schedule(more || wokenWhileRunning ? 0 : intervalMs);
      });
  }

  return {
    start() {
      if (started) return;
      started = true;
      schedule(0);
    },
    async stop() {
      started = false;
      if (timer) clearTimeout(timer);
      timer = null;
      await inFlight;
    },
    runOnce,
    wake() {
      if (!started) return;
      if (inFlight) wokenWhileRunning = true;
      else schedule(0);
    },
  };
}
