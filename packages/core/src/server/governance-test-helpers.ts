import { compilePolicy } from "../policy/compile-policy.ts";
import { policyHook } from "../policy/policy-hook.ts";
import type { Pause } from "../protocol/pause.ts";
import type { TestServer } from "../testing/test-server.ts";
import type { PolicyHook } from "./policy-hook.ts";
import { call } from "./server-test-helpers.ts";

/** The seed policy of the governance issue, as a policy hook. */
export function seedPolicy(): { hook: PolicyHook; version: string } {
  const compiled = compilePolicy({
    rules: [
      {
        name: "deny-table-drops",
        action_type: "db.drop_table",
        outcome: "deny",
        reason: "Agents never drop tables",
      },
      { name: "small-refunds", action_type: "refund", when: ["amount <= 50"], outcome: "auto_approve" },
      {
        name: "large-refunds",
        action_type: "refund",
        when: ["amount > 500"],
        outcome: "require",
        approvers: ["group:finance"],
        recipients: [{ channel: "slack", target: "#finance-approvals" }],
        escalate: {
          after: "15m",
          to: ["group:finance-oncall"],
          recipients: [{ channel: "slack", target: "#finance-oncall" }],
        },
        expires_in: "4h",
      },
      {
        name: "prod-deploys",
        action_type: "deploy",
        when: ['env == "prod"'],
        outcome: "require",
        approvers: ["group:engineering"],
        approvals_required: 2,
      },
    ],
  });
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.issues));
  return { hook: policyHook(compiled.policy), version: compiled.policy.version };
}

/** A fake clock the server reads; tests move it forward. */
export function fakeClock(start = "2026-11-21T10:00:00.000Z") {
  let current = Date.parse(start);
  return {
    now: () => new Date(current),
    advance(seconds: number) {
      current += seconds * 1000;
    },
  };
}

export async function openPause(t: TestServer, body: Record<string, unknown>): Promise<Pause> {
  const response = await call(t, "POST", "/v1/pauses", { body });
  if (response.status !== 202)
    throw new Error(`open failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as unknown as Pause;
}

export const refund = (amount: number) => ({
  agent_id: "support-agent",
  action: { type: "refund", title: `Refund $${amount}`, data: { order: "A-1", amount, currency: "USD" } },
});

export const prodDeploy = () => ({
  agent_id: "deploy-bot",
  action: { type: "deploy", title: "Deploy api v42 to prod", data: { service: "api", env: "prod" } },
});

/** Puts an identity with groups through the admin API. */
export async function putIdentity(t: TestServer, identity: string, groups: string[]): Promise<void> {
  const response = await call(t, "PUT", `/v1/identities/${encodeURIComponent(identity)}`, {
    key: t.adminKey,
    body: { email: identity, groups },
  });
  if (response.status !== 200 && response.status !== 201) throw new Error(JSON.stringify(response.body));
}

/** An approver key for another person. */
export async function approverKey(t: TestServer, identity: string): Promise<string> {
  return (await t.server.issueApiKey({ role: "approver", identity, name: identity })).key;
}

export async function decide(
  t: TestServer,
  pauseId: string,
  key: string,
  body: Record<string, unknown> = { decision: "approve" },
) {
  return call(t, "POST", `/v1/pauses/${pauseId}/decision`, { key, body });
}

export async function auditOf(t: TestServer, pauseId: string) {
  const response = await call(t, "GET", `/v1/audit?pause_id=${pauseId}`, { key: t.adminKey });
  return (
    response.body as {
      data: { type: string; actor: { kind: string; id: string }; data: Record<string, unknown> }[];
    }
  ).data;
}
