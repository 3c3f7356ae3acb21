import { startTestServer, type TestServer } from "@countersign/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { runCliAsync } from "../test-support/cli-process.ts";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
  const open = async (index: number) => {
    const response = await fetch(`${t.url}/v1/pauses`, {
      method: "POST",
      headers: { authorization: `Bearer ${t.agentKey}`, "content-type": "application/json" },
      body: JSON.stringify({
        agent_id: "support-bot",
        action: {
          type: "refund",
          title: `Refund ${index}`,
          data: { amount: 10 + index, email: `c${index}@x.test` },
        },
      }),
    });
    return ((await response.json()) as { pause_id: string }).pause_id;
  };
  for (let index = 0; index < 21; index++) {
    const pauseId = await open(index);
    const body =
      index === 20 ? { decision: "reject", reason: "Customer already refunded" } : { decision: "approve" };
    await fetch(`${t.url}/v1/pauses/${pauseId}/decision`, {
      method: "POST",
      headers: { authorization: `Bearer ${t.approverKey}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  }
}, 60_000);
afterAll(async () => {
  await t.close();
});

const cli = (key: string, ...args: string[]) =>
  runCliAsync(["insights", ...args], { COUNTERSIGN_URL: t.url, COUNTERSIGN_API_KEY: key });

describe("countersign insights", () => {
  it("prints a table per agent × action type, the denial reasons, and --json for machines", async () => {
    const table = await cli(t.approverKey);
    expect(table.stderr).toBe("");
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/support-bot\s+refund\s+21\s+95%\s+5%/);
    expect(table.stdout).toContain("Denials, support-bot refund: Customer already refunded (1)");
    const json = JSON.parse((await cli(t.approverKey, "--json", "--window", "7d")).stdout);
    expect(json).toMatchObject({
      object: "insights",
      window: "7d",
      groups: [{ volume: 21, human_approved: 20 }],
    });
    // One rejection: no loosening suggestion.
    expect(json.suggestions).toEqual([]);
  }, 60_000);

  it("writes every denial as a JSON line, masked where asked", async () => {
    const result = await cli(t.adminKey, "denials", "--jsonl", "--mask", "email");
    expect(result.code).toBe(0);
    const lines = result.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      action_type: "refund",
      reason: "Customer already refunded",
      data: { amount: 30, email: "[masked]" },
    });
    expect((await cli(t.adminKey, "denials")).code).toBe(2);
    expect((await cli(t.approverKey, "denials", "--jsonl")).code).toBe(1);
  }, 60_000);

  it("prints suggestions as YAML rules a policy accepts", async () => {
    // 20 approvals without a rejection for another agent.
    for (let index = 0; index < 20; index++) {
      const response = await fetch(`${t.url}/v1/pauses`, {
        method: "POST",
        headers: { authorization: `Bearer ${t.agentKey}`, "content-type": "application/json" },
        body: JSON.stringify({
          agent_id: "mail-bot",
          action: { type: "email.send", data: { recipients: 1 } },
        }),
      });
      const { pause_id } = (await response.json()) as { pause_id: string };
      await fetch(`${t.url}/v1/pauses/${pause_id}/decision`, {
        method: "POST",
        headers: { authorization: `Bearer ${t.approverKey}`, "content-type": "application/json" },
        body: JSON.stringify({ decision: "approve" }),
      });
    }
    const json = JSON.parse((await cli(t.approverKey, "--json")).stdout);
    const [suggestion] = json.suggestions;
    expect(suggestion.summary).toMatch(
      /^email\.send with recipients ≤ 1 from mail-bot: 20 approved, 0 denied/,
    );
    expect(parse(suggestion.policy_snippet)).toEqual([suggestion.policy_rule]);
    const table = await cli(t.approverKey);
    expect(table.stdout).toContain("Suggestion: email.send");
    expect(table.stdout).toContain("    - name: sample-mail-bot-email.send");
  }, 60_000);
});
