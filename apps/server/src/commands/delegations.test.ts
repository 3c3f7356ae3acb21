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
  runCliAsync(["delegations", ...args], { COUNTERSIGN_URL: t.url, COUNTERSIGN_API_KEY: key });

const lines = (stdout: string) =>
  stdout
    .trim()
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe("countersign delegations", () => {
  it("creates a delegation, shows it to both people, and revokes it", async () => {
    const created = await cli(
      t.approverKey,
      "create",
      "--to",
      "bob@example.com",
      "--for",
      "5d",
      "--action-type",
      "payment",
      "--reason",
      "on leave",
    );
    expect(created.stderr).toBe("");
    expect(created.code).toBe(0);
    const [delegation] = lines(created.stdout);
    expect(delegation).toMatchObject({
      status: "active",
      from: "alice@example.com",
      to: "bob@example.com",
      action_types: ["payment"],
      reason: "on leave",
    });
    const days =
      (Date.parse(String(delegation!.ends_at)) - Date.parse(String(delegation!.starts_at))) / 86_400_000;
    expect(Math.round(days)).toBe(5);
    const listed = lines((await cli(t.secondApproverKey, "list", "--status", "active")).stdout);
    expect(listed.map((entry) => entry.delegation_id)).toEqual([delegation!.delegation_id]);
    const revoked = await cli(
      t.secondApproverKey,
      "revoke",
      String(delegation!.delegation_id),
      "--reason",
      "back",
    );
    expect(revoked.code).toBe(0);
    expect(lines(revoked.stdout)[0]).toMatchObject({ status: "revoked", revoked_by: "bob@example.com" });
  }, 120_000);

  it("exits 2 on bad usage and 1 with the server's reason when it refuses", async () => {
    expect((await cli(t.approverKey, "create", "--to", "bob@example.com")).code).toBe(2);
    const tooLong = await cli(t.approverKey, "create", "--to", "bob@example.com", "--for", "91d");
    expect(tooLong.code).toBe(1);
    expect(tooLong.stderr).toContain("ends_at");
    const byAgent = await cli(t.agentKey, "list");
    expect(byAgent.code).toBe(1);
    expect(byAgent.stderr).toContain("403");
  }, 120_000);
});
