import { startTestServer, type TestServer } from "@countersign/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../test-support/cli-process.ts";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.close();
});

const cli = (...args: string[]) => runCli(["identities", ...args, "--data-dir", t.dataDir]);

describe("countersign identities", () => {
  it("puts, lists, gets and removes approver identities that the running server then sees", async () => {
    const put = cli(
      "put",
      "alice@example.com",
      "--slack-user",
      "U0ALICE",
      "--name",
      "Alice",
      "--group",
      "finance",
      "--group",
      "eng",
    );
    expect(put.code).toBe(0);
    expect(JSON.parse(put.stdout)).toMatchObject({
      identity: "alice@example.com",
      email: "alice@example.com",
      slack_user_id: "U0ALICE",
      display_name: "Alice",
      groups: ["eng", "finance"],
    });
    const response = await fetch(`${t.url}/v1/identities/alice%40example.com`, {
      headers: { authorization: `Bearer ${t.adminKey}` },
    });
    expect(((await response.json()) as { groups: string[] }).groups).toEqual(["eng", "finance"]);
    expect(
      cli("list")
        .stdout.trim()
        .split("\n")
        .map((line) => JSON.parse(line).identity),
    ).toEqual(["alice@example.com"]);
    expect(JSON.parse(cli("get", "alice@example.com").stdout).slack_user_id).toBe("U0ALICE");
    expect(cli("remove", "alice@example.com").code).toBe(0);
    expect(cli("get", "alice@example.com").code).toBe(1);
    expect(cli("remove", "alice@example.com").code).toBe(1);
  });

  it("exits 2 for a Slack user already mapped to another person or a bad group name", () => {
    expect(cli("put", "bob@example.com", "--slack-user", "U0BOB").code).toBe(0);
    const taken = cli("put", "eve@example.com", "--slack-user", "U0BOB");
    expect(taken.code).toBe(2);
    expect(taken.stderr).toContain("already belongs to bob@example.com");
    expect(cli("put", "eve@example.com", "--group", "no spaces").code).toBe(2);
    expect(cli("put").code).toBe(2);
  });
});

describe("countersign identities --teams-user", () => {
  it("maps a Teams account (Entra object id) to an identity once, and refuses a second holder", async () => {
    const oid = "8D6C1F0E-3B1A-4C55-9A8E-2F4B7C9D0E11";
    const put = cli("put", "carol@example.com", "--teams-user", oid, "--group", "finance");
    expect(put.code).toBe(0);
    expect(JSON.parse(put.stdout)).toMatchObject({
      identity: "carol@example.com",
      teams_user_id: oid.toLowerCase(),
    });
    expect((await t.store.findIdentityByTeamsUser(oid.toLowerCase()))?.identity).toBe("carol@example.com");
    const taken = cli("put", "dave@example.com", "--teams-user", oid.toLowerCase());
    expect(taken.code).toBe(2);
    expect(taken.stderr).toContain(`Teams user ${oid.toLowerCase()} already belongs to carol@example.com`);
    const malformed = cli("put", "dave@example.com", "--teams-user", "29:1a2b");
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain("teams_user_id");
  });
});
