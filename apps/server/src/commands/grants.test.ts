import { startTestServer, type TestServer } from "@countersign/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCliAsync } from "../test-support/cli-process.ts";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.close();
});

const cli = (key: string, ...args: string[]) =>
  runCliAsync(["grants", ...args], { COUNTERSIGN_URL: t.url, COUNTERSIGN_API_KEY: key });

const lines = (stdout: string) =>
  stdout
    .trim()
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe("countersign grants", () => {
  it("creates a grant that approves fitting pauses, lists it with what is left, and revokes it", async () => {
    const created = await cli(
      t.approverKey,
      "create",
      "--agent-id",
      "support-*",
      "--action-type",
      "refund",
      "--when",
      "amount <= 200",
      "--max-count",
      "5",
      "--max-total",
      "amount=300",
      "--for",
      "1h",
      "--reason",
      "outage backlog",
    );
    expect(created.stderr).toBe("");
    expect(created.code).toBe(0);
    const [grant] = lines(created.stdout);
    expect(grant).toMatchObject({
      status: "active",
      granted_by: "alice@example.com",
      agent_ids: ["support-*"],
      conditions: ["amount <= 200"],
      max_count: 5,
      max_total: { field: "amount", max: 300 },
    });
    const opened = await fetch(`${t.url}/v1/pauses`, {
      method: "POST",
      headers: { authorization: `Bearer ${t.agentKey}`, "content-type": "application/json" },
      body: JSON.stringify({ agent_id: "support-bot", action: { type: "refund", data: { amount: 120 } } }),
    });
    expect(((await opened.json()) as { status: string }).status).toBe("approved");
    const listed = lines((await cli(t.approverKey, "list", "--status", "active")).stdout);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ remaining_count: 4, remaining_total: 180 });
    const read = lines((await cli(t.approverKey, "get", String(grant!.grant_id))).stdout);
    expect(read[0]).toMatchObject({ used_count: 1, used_total: 120 });
    const byOther = await cli(t.secondApproverKey, "revoke", String(grant!.grant_id));
    expect(byOther.code).toBe(1);
    expect(byOther.stderr).toContain("403 forbidden");
    const revoked = await cli(t.approverKey, "revoke", String(grant!.grant_id), "--reason", "done");
    expect(revoked.code).toBe(0);
    expect(lines(revoked.stdout)[0]).toMatchObject({ status: "revoked", revoked_by: "alice@example.com" });
  }, 60_000);

  it("exits 2 on bad usage and 1 with the server's reason when it refuses", async () => {
    expect((await cli(t.approverKey, "create", "--action-type", "refund", "--for", "1h")).code).toBe(2);
    expect((await cli(t.approverKey, "create", "--agent-id", "a", "--action-type", "refund")).code).toBe(2);
    const badTotal = await cli(
      t.approverKey,
      "create",
      "--agent-id",
      "a",
      "--action-type",
      "r",
      "--for",
      "1h",
      "--max-total",
      "amount",
    );
    expect(badTotal.code).toBe(2);
    const tooLong = await cli(
      t.approverKey,
      "create",
      "--agent-id",
      "a",
      "--action-type",
      "r",
      "--for",
      "2d",
    );
    expect(tooLong.code).toBe(1);
    expect(tooLong.stderr).toContain("expires_in");
    const byAgent = await cli(t.agentKey, "list");
    expect(byAgent.code).toBe(1);
    expect(byAgent.stderr).toContain("403");
  }, 60_000);
});
