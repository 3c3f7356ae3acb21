import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../test-support/cli-process.ts";

const EXAMPLES = fileURLToPath(new URL("../../../../examples/policies/", import.meta.url));
const POLICY = join(EXAMPLES, "policy.yaml");
const request = (name: string) => join(EXAMPLES, "requests", `${name}.json`);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "countersign-policy-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("countersign policy", () => {
  it("checks the example policy", () => {
    const result = runCli(["policy", "check", POLICY]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /valid, version [0-9a-f]{16}, 5 rule\(s\): deny-table-drops, small-refunds, large-refunds, mid-refunds, prod-deploys/,
    );
  });

  it("says which rule fires for each seed case, and why", () => {
    const large = runCli(["policy", "test", POLICY, request("large-refund")]);
    expect(large.code).toBe(0);
    expect(large.stdout).toContain("✗ small-refunds     amount <= 50 is false (amount = 740)");
    expect(large.stdout).toContain("✓ large-refunds");
    expect(large.stdout).toContain("Fires: large-refunds → require");
    expect(large.stdout).toContain("approvers: group:finance (1 distinct approval)");
    expect(large.stdout).toContain(
      "escalates after 15m to group:finance-oncall (tells slack #finance-oncall)",
    );
    expect(large.stdout).toContain("expires in 4h");
    expect(runCli(["policy", "test", POLICY, request("small-refund")]).stdout).toContain(
      "Fires: small-refunds → auto_approve",
    );
    const deploy = runCli(["policy", "test", POLICY, request("prod-deploy")]).stdout;
    expect(deploy).toContain("Fires: prod-deploys → require");
    expect(deploy).toContain("(2 distinct approvals)");
    expect(deploy).toContain("recipients: slack #deploys");
    expect(runCli(["policy", "test", POLICY, request("drop-table")]).stdout).toContain(
      "Fires: deny-table-drops → deny",
    );
  });

  it("prints the evaluation as JSON and exits 1 when --expect names another rule", () => {
    const json = runCli(["policy", "test", POLICY, request("small-refund"), "--json"]);
    expect(JSON.parse(json.stdout)).toMatchObject({ rule: "small-refunds", outcome: "auto_approve" });
    expect(
      runCli(["policy", "test", POLICY, request("small-refund"), "--expect", "small-refunds"]).code,
    ).toBe(0);
    const wrong = runCli(["policy", "test", POLICY, request("small-refund"), "--expect", "large-refunds"]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain("expected rule large-refunds to fire, but small-refunds did");
  });

  it("exits 2 with the line and field of each mistake in the policy or the request", async () => {
    const broken = join(dir, "broken.yaml");
    await writeFile(broken, "rules:\n  - name: r\n    outcome: sometimes\n");
    const result = runCli(["policy", "check", broken]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'broken.yaml:3:14 rules.0.outcome: must be "auto_approve", "deny", "require" or "sample"',
    );
    const badRequest = join(dir, "request.json");
    await writeFile(badRequest, JSON.stringify({ agent_id: "a", action: {} }));
    const refused = runCli(["policy", "test", POLICY, badRequest]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("action.type");
    expect(runCli(["policy", "test", POLICY]).code).toBe(2);
  });
});
