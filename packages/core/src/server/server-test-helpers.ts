import type { TestServer } from "../testing/test-server.ts";

/** The seed request of the design, verbatim (with a loopback webhook receiver where one is given). */
export function seedRequest(webhookUrl?: string): Record<string, unknown> {
  return {
    agent_id: "billing-agent",
    action: { type: "payment", description: "Pay Acme Corp $12,450" },
    recipients: [{ channel: "slack", target: "#finance-approvals" }],
    ...(webhookUrl && { webhook_url: webhookUrl }),
  };
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

/** One API call over the real socket, with the given key. */
export async function call(
  t: TestServer,
  method: string,
  path: string,
  options: { key?: string | null; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<ApiResponse> {
  const headers: Record<string, string> = { ...options.headers };
  const key = options.key === undefined ? t.agentKey : options.key;
  if (key) headers.authorization = `Bearer ${key}`;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers["content-type"] = "application/json";
  }
  const response = await fetch(`${t.url}${path}`, { method, headers, ...(body !== undefined && { body }) });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
  };
}
