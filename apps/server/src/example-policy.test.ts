import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { Pause } from "@countersign/core";
import { policyHook } from "@countersign/core/server";
import { startTestServer, type TestServer } from "@countersign/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadPolicyFile } from "./policy-file.ts";

const EXAMPLES = new URL("../../../examples/policies/", import.meta.url);

let t: TestServer;
let clock = Date.parse("2026-11-21T10:00:00.000Z");

beforeAll(async () => {
  const loaded = await loadPolicyFile(fileURLToPath(new URL("policy.yaml", EXAMPLES)));
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  t = await startTestServer({
    policy: policyHook(loaded.policy),
    now: () => new Date(clock),
    serverOptions: { background: false },
  });
  for (const [identity, groups] of [
    ["alice@example.com", ["engineering"]],
    ["bob@example.com", ["engineering", "finance"]],
    ["carol@example.com", ["finance-oncall"]],
  ] as const) {
    await api("PUT", `/v1/identities/${encodeURIComponent(identity)}`, t.adminKey, { groups });
  }
});
afterAll(async () => {
  await t.close();
});

async function api(method: string, path: string, key: string, body?: unknown) {
  const response = await fetch(`${t.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Pause };
}

async function open(name: string) {
  const request = JSON.parse(await readFile(new URL(`requests/${name}.json`, EXAMPLES), "utf8"));
  return (await api("POST", "/v1/pauses", t.agentKey, request)).body;
}

describe("the example policy on a real server", () => {
  it("auto-approves the small refund and denies the table drop", async () => {
    expect(await open("small-refund")).toMatchObject({
      status: "approved",
      routing: { rule: "small-refunds" },
    });
    expect(await open("drop-table")).toMatchObject({
      status: "rejected",
      routing: { rule: "deny-table-drops" },
    });
  });

  it("routes the large refund to finance and escalates it to finance on-call after 15 minutes", async () => {
    const pause = await open("large-refund");
    expect(pause.routing).toMatchObject({ rule: "large-refunds", approvers: ["group:finance"] });
    const carol = (await t.server.issueApiKey({ role: "approver", identity: "carol@example.com" })).key;
    const early = await api("POST", `/v1/pauses/${pause.pause_id}/decision`, carol, { decision: "approve" });
    expect(early.status).toBe(403);
    clock += 15 * 60 * 1000;
    await t.server.runBackgroundOnce();
    const decided = await api("POST", `/v1/pauses/${pause.pause_id}/decision`, carol, {
      decision: "approve",
    });
    expect(decided.body).toMatchObject({ status: "approved", routing: { escalated_at: expect.any(String) } });
  });

  it("needs two engineers for the prod deploy", async () => {
    const pause = await open("prod-deploy");
    const first = await api("POST", `/v1/pauses/${pause.pause_id}/decision`, t.approverKey, {
      decision: "approve",
    });
    expect(first.body.status).toBe("pending");
    const second = await api("POST", `/v1/pauses/${pause.pause_id}/decision`, t.secondApproverKey, {
      decision: "approve",
    });
    expect(second.body.status).toBe("approved");
    const approvals = (second.body.proof as { approvals?: { id: string }[] } | null)?.approvals ?? [];
    expect(approvals.map((approval) => approval.id)).toEqual(["alice@example.com", "bob@example.com"]);
  });
});
