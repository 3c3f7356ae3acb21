import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { PauseRecord } from "../../store/records.ts";

/**
 * The server's Prometheus metrics, in a registry of its own (several
 * servers in one process never mix their counts). Served at `GET /metrics`
 * to admin keys; see docs/operations.md.
 */
export interface ServerMetrics {
  registry: Registry;
  pauseOpened(record: PauseRecord): void;
  /** A pause left `pending`: its outcome, and for a human decision how long it took. */
  pauseSettled(record: PauseRecord): void;
  webhookAttempt(outcome: "delivered" | "retry" | "failed" | "disabled" | "unrecorded"): void;
  storeError(where: "request" | "readiness" | "webhooks" | "sweep" | "metrics"): void;
  request(method: string, route: string, status: number, seconds: number): void;
  /** Where the waiters gauge reads its value at scrape time. */
  countWaiters(count: () => number): void;
  /** Where the webhook queue depth gauge reads its value at scrape time (the store's pending deliveries). */
  countQueuedDeliveries(count: () => Promise<number>): void;
}

/** Seconds from opening to a human decision: from a minute to a day. */
const DECISION_BUCKETS = [5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 14400, 43200, 86400];
const REQUEST_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export function createServerMetrics(): ServerMetrics {
  const registry = new Registry();
  const registers = [registry];
  const opened = new Counter({
    name: "countersign_pauses_opened_total",
    help: "Pauses opened, by action type and the status they opened with (pending, or a policy's decision).",
    labelNames: ["action_type", "status"],
    registers,
  });
  const decided = new Counter({
    name: "countersign_pauses_decided_total",
    help: "Pauses that left pending, by action type and outcome (approved, rejected, expired, cancelled).",
    labelNames: ["action_type", "outcome"],
    registers,
  });
  const decisionSeconds = new Histogram({
    name: "countersign_human_decision_seconds",
    help: "Time from opening a pause to a human's decision, by action type and outcome.",
    labelNames: ["action_type", "outcome"],
    buckets: DECISION_BUCKETS,
    registers,
  });
  const webhookAttempts = new Counter({
    name: "countersign_webhook_attempts_total",
    help: "Webhook delivery attempts, by outcome (delivered, retry, failed, disabled, unrecorded).",
    labelNames: ["outcome"],
    registers,
  });
  let queuedDeliveries: () => Promise<number> = async () => 0;
  new Gauge({
    name: "countersign_webhook_queue_depth",
    help: "Webhook deliveries pending in the store (waiting for their first attempt or a retry), counted at each scrape; the shared outbox, so every instance reports the same number. NaN when the store could not be read.",
    registers,
    async collect() {
      try {
        this.set(await queuedDeliveries());
      } catch {
        // The scrape still answers: an unknown depth, and the failure counted where operators look for it.
        this.set(Number.NaN);
        storeErrors.inc({ where: "metrics" });
      }
    },
  });
  let waiters: () => number = () => 0;
  new Gauge({
    name: "countersign_waiters",
    help: "Long-polls waiting for a pause to change on this instance.",
    registers,
    collect() {
      this.set(waiters());
    },
  });
  const storeErrors = new Counter({
    name: "countersign_store_errors_total",
    help: "Store failures, by where they surfaced (request, readiness, webhooks, sweep, metrics).",
    labelNames: ["where"],
    registers,
  });
  const requests = new Histogram({
    name: "countersign_http_request_duration_seconds",
    help: "HTTP requests, by method, route pattern and status.",
    labelNames: ["method", "route", "status"],
    buckets: REQUEST_BUCKETS,
    registers,
  });
  return {
    registry,
    pauseOpened(record) {
      opened.inc({ action_type: record.action.type, status: record.status });
    },
    pauseSettled(record) {
      decided.inc({ action_type: record.action.type, outcome: record.status });
      const decision = record.decision;
      if (decision?.decided_by.kind !== "human") return;
      const seconds = (Date.parse(decision.decided_at) - Date.parse(record.createdAt)) / 1000;
      if (Number.isFinite(seconds) && seconds >= 0) {
        decisionSeconds.observe({ action_type: record.action.type, outcome: record.status }, seconds);
      }
    },
    webhookAttempt: (outcome) => webhookAttempts.inc({ outcome }),
    storeError: (where) => storeErrors.inc({ where }),
    request(method, route, status, seconds) {
      requests.observe({ method, route, status: String(status) }, seconds);
    },
    countWaiters(count) {
      waiters = count;
    },
    countQueuedDeliveries(count) {
      queuedDeliveries = count;
    },
  };
}
