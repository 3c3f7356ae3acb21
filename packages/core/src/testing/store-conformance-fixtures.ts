import { expect } from "vitest";
import { auditEventHash, GENESIS_HASH } from "../audit/audit-chain.ts";
import type { AuditEvent, AuditEventType } from "../protocol/audit-event.ts";
import { newId } from "../protocol/ids.ts";
import type { Routing } from "../protocol/pause.ts";
import type { Proof } from "../protocol/proof.ts";
import type { AuditInput, DecisionUpdate, DeliveryRecord, PauseRecord } from "../store/records.ts";
import type { Store } from "../store/store.ts";

/** What each conformance test gets: a fresh, migrated, empty store. */
export interface StoreHarness {
  readonly store: Store;
  /** A second instance on the same data (another process's view), closed after the test; absent when the backend has none. */
  readonly openAnother?: () => Promise<Store>;
}

const BASE_TIME = Date.parse("2030-01-01T00:00:00.000Z");

/** A fixed instant `seconds` after the suite's base time, in `toISOString()` form. */
export function at(seconds: number): string {
  return new Date(BASE_TIME + seconds * 1_000).toISOString();
}

/** A complete routing, as a policy records it; `overrides` replace its fields. */
export function routingFixture(overrides: Partial<Routing> = {}): Routing {
  return {
    rule: "large-payments",
    policy_version: "v1",
    outcome: "require",
    approvers: ["alice@example.com", "group:finance"],
    approvals_required: 2,
    approvals: [{ id: "alice@example.com", channel: "slack", at: at(30) }],
    escalation: {
      after_seconds: 600,
      to: ["group:treasury"],
      recipients: [{ channel: "email", target: "treasury@example.com" }],
    },
    escalated_at: null,
    ...overrides,
  };
}

export function pauseFixture(overrides: Partial<PauseRecord> = {}): PauseRecord {
  return {
    pauseId: newId("pause"),
    status: "pending",
    agentId: "billing-agent",
    action: {
      type: "payment",
      title: "Pay Acme Corp €12,450 ✅",
      description: "Pay Acme Corp $12,450",
      body: "**Invoice** INV-1\n\n| line | amount |",
      data: {
        payee: "Acme Corp",
        amount: 12450.5,
        currency: "USD",
        lines: [{ sku: "a", qty: 2 }],
        note: null,
      },
      risk: "high",
    },
    actionDigest: `sha256:${"ab".repeat(32)}`,
    recipients: [
      { channel: "slack", target: "#finance-approvals" },
      { channel: "email", target: "cfo@example.com" },
    ],
    webhookUrl: "https://acme.example/hooks",
    context: { thread_id: "thread-1", tool_call_id: "call-1", framework: "langgraph" },
    metadata: { ticket: "FIN-1", nested: { ok: true, tags: ["a", "b"] } },
    ownerKeyId: "key_agent",
    requestedBy: "agent-owner@example.com",
    routing: routingFixture(),
    createdAt: at(0),
    expiresAt: at(900),
    decision: null,
    proof: null,
    claimedAt: null,
    ...overrides,
  };
}

export function proofFixture(
  pause: PauseRecord,
  decision: Proof["decision"],
  decidedBy = "alice@example.com",
): Proof {
  return {
    v: 1,
    proof_id: newId("proof"),
    pause_id: pause.pauseId,
    agent_id: pause.agentId,
    action_digest: pause.actionDigest,
    decision,
    human_response: true,
    decided_by: { kind: "human", id: decidedBy, channel: "slack" },
    reason: decision === "approved" ? null : "not this month",
    data: null,
    issued_at: at(60),
    valid_until: at(960),
    kid: "kid-1",
    signature: `sha256=${"cd".repeat(32)}`,
    signatures: [{ alg: "Ed25519", kid: "kid-1", sig: "c2lnbmF0dXJl" }],
  };
}

export function decisionFixture(
  pause: PauseRecord,
  status: DecisionUpdate["status"],
  decidedBy = "alice@example.com",
): DecisionUpdate {
  return {
    status,
    decision: {
      status,
      decided_by: { kind: "human", id: decidedBy, channel: "slack" },
      reason: status === "approved" ? null : "not this month",
      data: status === "approved" ? { payee: "Acme Corp", amount: 12000 } : null,
      decided_at: at(60),
    },
    proof: status === "cancelled" ? null : proofFixture(pause, status, decidedBy),
  };
}

export function auditFixture(type: AuditEventType, overrides: Partial<AuditInput> = {}): AuditInput {
  return {
    type,
    pauseId: null,
    agentId: null,
    actor: { kind: "system", id: "countersign" },
    at: at(0),
    data: {},
    ...overrides,
  };
}

export function deliveryFixture(pauseId: string, overrides: Partial<DeliveryRecord> = {}): DeliveryRecord {
  return {
    deliveryId: newId("webhookMessage"),
    pauseId,
    endpointId: null,
    url: "https://acme.example/hooks",
    payload: JSON.stringify({ type: "pause.decided", data: { pause_id: pauseId } }),
    status: "pending",
    attempts: 0,
    nextAttemptAt: at(60),
    leaseUntil: null,
    lastStatus: null,
    lastError: null,
    createdAt: at(60),
    ...overrides,
  };
}

/** Opens a pause with its `pause.opened` event, as the server does. */
export async function openPause(store: Store, overrides: Partial<PauseRecord> = {}): Promise<PauseRecord> {
  const pause = pauseFixture(overrides);
  const result = await store.createPause(pause, {
    audit: [auditFixture("pause.opened", { pauseId: pause.pauseId, agentId: pause.agentId })],
  });
  return result.pause;
}

/** Opens a pause and approves it, enqueueing one webhook delivery built from `delivery`. */
export async function enqueueDelivery(
  store: Store,
  delivery: Partial<DeliveryRecord> = {},
): Promise<DeliveryRecord> {
  const pause = await openPause(store);
  const record = deliveryFixture(pause.pauseId, delivery);
  const decided = await store.decide(pause.pauseId, decisionFixture(pause, "approved"), {
    delivery: record,
    audit: [auditFixture("pause.decided", { pauseId: pause.pauseId })],
  });
  expect(decided?.ok).toBe(true);
  return record;
}

/** Asserts the whole log is one unbroken chain: seq 1, 2, 3…, each linked to and hashed over the one before. */
export function expectValidChain(events: readonly AuditEvent[]): void {
  let previousHash = GENESIS_HASH;
  events.forEach((event, index) => {
    expect(event.seq).toBe(index + 1);
    expect(event.prev_hash).toBe(previousHash);
    const { hash, ...unhashed } = event;
    expect(auditEventHash(unhashed)).toBe(hash);
    previousHash = hash;
  });
}

export async function allAuditEvents(store: Store): Promise<AuditEvent[]> {
  return store.listAudit({ limit: 1_000 });
}
