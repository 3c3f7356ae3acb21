import { randomBytes } from "node:crypto";
import type { AuditInput, DecisionUpdate, PauseRecord, Store } from "@countersign/core/server";

// Small records for tests that need two stores, not the full conformance fixtures.

export function pauseRecord(overrides: Partial<PauseRecord> = {}): PauseRecord {
  const now = new Date();
  return {
    pauseId: `pau_${randomBytes(13).toString("hex").slice(0, 26)}`,
    status: "pending",
    agentId: "billing-agent",
    action: { type: "payment", data: { amount: 12450 } },
    actionDigest: `sha256:${"ab".repeat(32)}`,
    recipients: [],
    webhookUrl: null,
    context: {},
    metadata: {},
    ownerKeyId: null,
    requestedBy: null,
    routing: null,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + 900_000).toISOString(),
    decision: null,
    proof: null,
    claimedAt: null,
    ...overrides,
  };
}

export function auditInput(type: AuditInput["type"], pauseId: string | null, data = {}): AuditInput {
  return {
    type,
    pauseId,
    agentId: null,
    actor: { kind: "system", id: "test" },
    at: new Date().toISOString(),
    data,
  };
}

export function rejection(decidedBy: string): DecisionUpdate {
  return {
    status: "rejected",
    decision: {
      status: "rejected",
      decided_by: { kind: "human", id: decidedBy, channel: "web" },
      reason: "no",
      data: null,
      decided_at: new Date().toISOString(),
    },
    proof: null,
  };
}

export async function openPause(store: Store, overrides: Partial<PauseRecord> = {}): Promise<PauseRecord> {
  const pause = pauseRecord(overrides);
  await store.createPause(pause, { audit: [auditInput("pause.opened", pause.pauseId)] });
  return pause;
}

/** Resolves once `condition` holds, or fails after `timeoutMs`. */
export async function eventually(
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
