import type { Pause } from "@countersign/core";

/** A pending payment pause as the server renders it; override any field. */
export function pauseFixture(overrides: Partial<Pause> = {}, action: Partial<Pause["action"]> = {}): Pause {
  return {
    object: "pause",
    pause_id: "pau_test123",
    status: "pending",
    agent_id: "billing-agent",
    action: {
      type: "payment",
      title: "Pay Acme Corp $12,450",
      description: "Quarterly invoice INV-2291",
      data: { payee: "Acme Corp", amount: 12450, currency: "USD" },
      risk: "high",
      ...action,
    },
    recipients: [{ channel: "teams", target: "finance-approvals" }],
    webhook_url: null,
    context: {},
    metadata: {},
    created_at: "2026-11-21T10:00:00.000Z",
    expires_at: "2026-11-21T10:15:00.000Z",
    decision: null,
    proof: null,
    claimed_at: null,
    links: {
      self: "https://countersign.example/v1/pauses/pau_test123",
      events: "https://countersign.example/v1/pauses/pau_test123/events",
      decision: "https://countersign.example/v1/pauses/pau_test123/decision",
      inbox: "https://countersign.example/inbox/pauses/pau_test123",
    },
    ...overrides,
  };
}
