import { issueApiKey, type Store } from "@countersign/core/server";

export interface Keys {
  agent: string;
  approver: string;
  admin: string;
}

export async function createKeys(store: Store): Promise<Keys> {
  const now = new Date();
  const issue = async (role: "agent" | "approver" | "admin", identity: string) =>
    (
      await issueApiKey(store, {
        role,
        identity,
        name: null,
        now,
        ...(role === "agent" && { agentIds: ["*"] }),
      })
    ).key;
  return {
    agent: await issue("agent", "owner@example.com"),
    approver: await issue("approver", "alice@example.com"),
    admin: await issue("admin", "admin@example.com"),
  };
}

/** A JSON request; resolves with the status and the parsed body (problem+json on errors). */
export async function call(
  url: string,
  key: string,
  options: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, {
    method: options.method ?? (options.body === undefined ? "GET" : "POST"),
    headers: {
      authorization: `Bearer ${key}`,
      ...(options.body !== undefined && { "content-type": "application/json" }),
      ...options.headers,
    },
    ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text === "" ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

export function openPause(baseUrl: string, key: string, body: Record<string, unknown> = {}, headers = {}) {
  return call(`${baseUrl}/v1/pauses`, key, {
    body: { agent_id: "billing-agent", action: { type: "payment", data: { amount: 12450 } }, ...body },
    headers,
  });
}

export function decide(baseUrl: string, key: string, pauseId: string, decision: "approve" | "reject") {
  return call(`${baseUrl}/v1/pauses/${pauseId}/decision`, key, {
    body: { decision, ...(decision === "reject" && { reason: "not this month" }) },
  });
}
