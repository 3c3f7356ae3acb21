import { afterEach, describe, expect, it } from "vitest";
import { compilePolicy } from "../policy/compile-policy.ts";
import { policyHook } from "../policy/policy-hook.ts";
import type { Pause } from "../protocol/pause.ts";
import { startTestServer, type TestServer } from "../testing/test-server.ts";
import { putIdentity } from "./governance-test-helpers.ts";
import { call } from "./server-test-helpers.ts";

let t: TestServer;
afterEach(async () => {
  await t.close();
});

function policy(input: unknown) {
  const compiled = compilePolicy(input);
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.issues));
  return policyHook(compiled.policy);
}

const trustedBotPolicy = () =>
  policy({
    risk: { default: "medium", derive: [{ action_type: "payment", when: "amount > 1000", risk: "high" }] },
    rules: [
      { name: "trusted-bot", agent_id: "trusted-bot", outcome: "auto_approve" },
      { name: "low-risk", risk: "low", outcome: "auto_approve" },
    ],
    default: { outcome: "require" },
  });

async function agentKey(agentIds: string[], extra: { actionTypes?: string[]; identity?: string } = {}) {
  return (
    await t.server.issueApiKey({
      role: "agent",
      identity: extra.identity ?? "owner-b@example.com",
      agentIds,
      ...(extra.actionTypes && { actionTypes: extra.actionTypes }),
    })
  ).key;
}

describe("an agent key acts only as the agents it is bound to", () => {
  it("refuses agent B's key posing as trusted-bot, so the trusted-bot auto-approval never fires", async () => {
    t = await startTestServer({ policy: trustedBotPolicy() });
    const bKey = await agentKey(["agent-b"]);
    const posing = await call(t, "POST", "/v1/pauses", {
      key: bKey,
      body: { agent_id: "trusted-bot", action: { type: "payment", data: { amount: 5 } } },
    });
    expect(posing.status).toBe(403);
    expect(posing.body.code).toBe("forbidden");
    expect(posing.body.errors).toEqual([{ path: "agent_id", message: "not one of agent-b" }]);
    const own = await call(t, "POST", "/v1/pauses", {
      key: bKey,
      body: { agent_id: "agent-b", action: { type: "payment", data: { amount: 5 } } },
    });
    expect(own.body).toMatchObject({ status: "pending", agent_id: "agent-b" });
    const list = await call(t, "GET", "/v1/pauses?status=approved", { key: t.adminKey });
    expect(list.body.data).toEqual([]);
  });

  it("matches globs and action types, and names the field it refuses", async () => {
    t = await startTestServer();
    const key = await agentKey(["billing-*"], { actionTypes: ["refund", "payment.*"] });
    const open = (agentId: string, type: string) =>
      call(t, "POST", "/v1/pauses", { key, body: { agent_id: agentId, action: { type } } });
    expect((await open("billing-eu", "refund")).status).toBe(202);
    expect((await open("billing-us", "payment.sepa")).status).toBe(202);
    const wrongType = await open("billing-eu", "deploy");
    expect(wrongType.status).toBe(403);
    expect(wrongType.body.errors).toEqual([{ path: "action.type", message: "not one of refund, payment.*" }]);
    expect((await open("support", "refund")).status).toBe(403);
  });

  it("keeps keys made before binding from opening anything until an admin binds them", async () => {
    t = await startTestServer();
    const legacyKey = "csk_agent_legacy-key-made-before-binding-000000000";
    const { hashApiKey } = await import("./auth/api-keys.ts");
    await t.store.createApiKey({
      keyId: "key_legacy",
      hash: hashApiKey(legacyKey),
      role: "agent",
      identity: null,
      name: "old",
      agentIds: null,
      actionTypes: null,
      createdAt: new Date().toISOString(),
      revokedAt: null,
    });
    const body = { agent_id: "billing-agent", action: { type: "payment" } };
    const refused = await call(t, "POST", "/v1/pauses", { key: legacyKey, body });
    expect(refused.status).toBe(403);
    expect(String(refused.body.detail)).toContain("countersign keys update key_legacy --agent-id");
    await t.store.updateApiKeyBinding("key_legacy", {
      identity: "owner@example.com",
      agentIds: ["billing-agent"],
      actionTypes: null,
    });
    expect((await call(t, "POST", "/v1/pauses", { key: legacyKey, body })).status).toBe(202);
  });

  it("issues no key without a holder, and no agent key without agent ids", async () => {
    t = await startTestServer();
    await expect(
      t.server.issueApiKey({ role: "agent", identity: "", agentIds: ["a"] }),
    ).rejects.toMatchObject({ code: "invalid_request", errors: [{ path: "identity" }] });
    await expect(t.server.issueApiKey({ role: "agent", identity: "o@example.com" })).rejects.toMatchObject({
      code: "invalid_request",
      errors: [{ path: "agent_ids" }],
    });
    await expect(
      t.server.issueApiKey({ role: "approver", identity: "a@example.com", agentIds: ["x"] }),
    ).rejects.toMatchObject({ code: "invalid_request" });
  });

  it("never lets an admin key open, claim or cancel pauses as an agent", async () => {
    t = await startTestServer();
    const opened = await call(t, "POST", "/v1/pauses", {
      key: t.adminKey,
      body: { agent_id: "any", action: { type: "payment" } },
    });
    expect(opened.status).toBe(403);
    const pause = (await call(t, "POST", "/v1/pauses", { body: { agent_id: "a", action: { type: "x" } } }))
      .body as unknown as Pause;
    await t.approve(pause.pause_id);
    const claim = await call(t, "POST", `/v1/pauses/${pause.pause_id}/claim`, { key: t.adminKey, body: {} });
    expect(claim.status).toBe(403);
    expect((await call(t, "POST", `/v1/pauses/${pause.pause_id}/claim`, { body: {} })).status).toBe(200);
  });
});

describe("agent-declared risk only raises the bar", () => {
  it("does not auto-approve a large payment the agent calls low risk", async () => {
    t = await startTestServer({ policy: trustedBotPolicy() });
    const big = await call(t, "POST", "/v1/pauses", {
      body: { agent_id: "billing", action: { type: "payment", risk: "low", data: { amount: 50_000 } } },
    });
    expect(big.body).toMatchObject({
      status: "pending",
      routing: { rule: "default", risk: "high", declared_risk: "low", derived_risk: "high" },
    });
  });
});

describe("agent-supplied recipients only narrow routing", () => {
  it("drops an e-mail address that belongs to no approver, says so in the reply and the audit, and keeps a known approver", async () => {
    t = await startTestServer();
    const response = await call(t, "POST", "/v1/pauses", {
      body: {
        agent_id: "billing-agent",
        action: { type: "payment" },
        recipients: [
          { channel: "email", target: "mallory@attacker.example" },
          { channel: "email", target: "Alice@Example.com" },
        ],
      },
    });
    expect(response.status).toBe(202);
    expect(response.body.recipients).toEqual([{ channel: "email", target: "Alice@Example.com" }]);
    expect(response.body.warnings).toEqual([
      {
        code: "recipient_dropped",
        path: "recipients.0",
        message: expect.stringContaining("mallory@attacker.example is not a known approver"),
      },
    ]);
    const read = await call(t, "GET", `/v1/pauses/${response.body.pause_id}`);
    expect(read.body.recipients).toEqual([{ channel: "email", target: "Alice@Example.com" }]);
    expect(read.body.warnings).toBeUndefined();
    const audit = await call(t, "GET", `/v1/audit?pause_id=${response.body.pause_id}`, { key: t.adminKey });
    expect((audit.body.data as { data: Record<string, unknown> }[])[0]?.data.dropped_recipients).toEqual([
      "recipients.0",
    ]);
  });

  it("drops a known approver the policy did not route the pause to", async () => {
    t = await startTestServer({
      policy: policy({ rules: [], default: { outcome: "require", approvers: ["group:finance"] } }),
    });
    await putIdentity(t, "fin@example.com", ["finance"]);
    const response = await call(t, "POST", "/v1/pauses", {
      body: {
        agent_id: "billing-agent",
        action: { type: "payment" },
        recipients: [
          { channel: "email", target: "bob@example.com" },
          { channel: "email", target: "fin@example.com" },
        ],
      },
    });
    expect(response.body.recipients).toEqual([{ channel: "email", target: "fin@example.com" }]);
    expect((response.body.warnings as { message: string }[])[0]?.message).toContain(
      "not among the approvers",
    );
  });

  it("keeps Slack channels an admin allowed (config or policy file) and drops the rest", async () => {
    t = await startTestServer({
      policy: policy({
        rules: [
          {
            name: "ops",
            action_type: "deploy",
            outcome: "require",
            recipients: [{ channel: "slack", target: "#ops" }],
          },
        ],
      }),
      serverOptions: { allowedRecipientTargets: { slack: ["#finance-approvals"] } },
    });
    const response = await call(t, "POST", "/v1/pauses", {
      body: {
        agent_id: "billing-agent",
        action: { type: "payment" },
        recipients: [
          { channel: "slack", target: "#finance-approvals" },
          { channel: "slack", target: "#ops" },
          { channel: "slack", target: "#random" },
        ],
      },
    });
    expect(response.body.recipients).toEqual([
      { channel: "slack", target: "#finance-approvals" },
      { channel: "slack", target: "#ops" },
    ]);
    expect(response.body.warnings).toEqual([expect.objectContaining({ path: "recipients.2" })]);
  });
});

describe("decision rights come from known, active approvers", () => {
  it("stops a revoked approver key from deciding; the quorum still needs two live approvers", async () => {
    t = await startTestServer({
      policy: policy({ rules: [], default: { outcome: "require", approvals_required: 2 } }),
    });
    const carol = await t.server.issueApiKey({ role: "approver", identity: "carol@example.com" });
    const pause = (await call(t, "POST", "/v1/pauses", { body: { agent_id: "a", action: { type: "x" } } }))
      .body as unknown as Pause;
    await t.store.revokeApiKey(carol.record.keyId, new Date().toISOString());
    const revoked = await call(t, "POST", `/v1/pauses/${pause.pause_id}/decision`, {
      key: carol.key,
      body: { decision: "approve" },
    });
    expect(revoked.status).toBe(401);
    await t.approve(pause.pause_id);
    const still = (await call(t, "GET", `/v1/pauses/${pause.pause_id}`)).body;
    expect(still.status).toBe("pending");
    expect((await t.approve(pause.pause_id, { apiKey: t.secondApproverKey })).status).toBe("approved");
  });
});

describe("revocation ends open streams", () => {
  it("closes a pause's event stream within 5 s of its key being revoked", async () => {
    t = await startTestServer();
    const watcher = await t.server.issueApiKey({ role: "approver", identity: "watcher@example.com" });
    const pause = (await call(t, "POST", "/v1/pauses", { body: { agent_id: "a", action: { type: "x" } } }))
      .body as unknown as Pause;
    const response = await fetch(`${t.url}/v1/pauses/${pause.pause_id}/events`, {
      headers: { authorization: `Bearer ${watcher.key}` },
    });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = decoder.decode((await reader.read()).value);
    expect(text).toContain("event: status");
    await t.store.revokeApiKey(watcher.record.keyId, new Date().toISOString());
    const revokedAt = Date.now();
    for (;;) {
      const chunk = await reader.read();
      if (chunk.done) break;
      text += decoder.decode(chunk.value);
    }
    expect(Date.now() - revokedAt).toBeLessThan(5_000);
    expect(text).toContain("event: revoked");
    expect(text).not.toContain("event: decided");
  });
});
