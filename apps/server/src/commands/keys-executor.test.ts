import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../test-support/cli-process.ts";

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "countersign-executor-key-"));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("countersign keys create --role executor", () => {
  it("issues a key for a service, shown once, bound to no agent ids", () => {
    const dataDir = join(root, "data");
    const made = runCli([
      "keys",
      "create",
      "--role",
      "executor",
      "--identity",
      "payments-service",
      "--init",
      "--data-dir",
      dataDir,
    ]);
    expect(made.code).toBe(0);
    const created = JSON.parse(made.stdout);
    expect(created).toMatchObject({ role: "executor", identity: "payments-service" });
    expect(created.key).toMatch(/^csk_executor_/);
    expect(created.agent_ids).toBeUndefined();
  });

  it("refuses agent ids on an executor key, and an executor key without an identity", () => {
    const dataDir = join(root, "data");
    const bound = runCli([
      "keys",
      "create",
      "--role",
      "executor",
      "--identity",
      "payments-service",
      "--agent-id",
      "billing-agent",
      "--data-dir",
      dataDir,
    ]);
    expect(bound.code).not.toBe(0);
    expect(bound.stderr).toContain("only agent keys are bound to agent ids");
    const anonymous = runCli(["keys", "create", "--role", "executor", "--data-dir", dataDir]);
    expect(anonymous.code).not.toBe(0);
    expect(anonymous.stderr).toContain("an executor key needs --identity");
  });
});
