import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli, startServe, stop } from "../test-support/cli-process.ts";

let dir: string;
let policyFile: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "countersign-serve-policy-"));
  policyFile = join(dir, "policy.yaml");
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const refundPolicy = (rule: string, outcome: string) =>
  `rules:\n  - name: ${rule}\n    action_type: refund\n    outcome: ${outcome}\n`;

function createKey(role: string, identity: string): string {
  // Keys first, server second: --init creates the store the server then opens.
  const binding = role === "agent" ? ["--agent-id", "*"] : [];
  const result = runCli([
    "keys",
    "create",
    "--role",
    role,
    "--identity",
    identity,
    ...binding,
    "--data-dir",
    dir,
    "--init",
  ]);
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout).key;
}

async function openRefund(url: string, key: string) {
  const response = await fetch(`${url}/v1/pauses`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ agent_id: "support-agent", action: { type: "refund", data: { amount: 90 } } }),
  });
  return {
    status: response.status,
    pause: (await response.json()) as {
      status: string;
      routing: { rule: string; policy_version: string } | null;
    },
  };
}

async function waitFor(condition: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("countersign serve --policy", () => {
  it("reloads a changed policy without dropping requests, and keeps it when the new file is invalid", async () => {
    await writeFile(policyFile, refundPolicy("refunds-v1", "require"));
    const agentKey = createKey("agent", "owner@example.com");
    const { url, child } = await startServe(["--data-dir", dir, "--policy", policyFile]);
    let log = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      log += chunk.toString();
    });
    try {
      const first = await openRefund(url, agentKey);
      expect(first.pause).toMatchObject({ status: "pending", routing: { rule: "refunds-v1" } });

      // Requests keep flowing while the file is replaced.
      const inFlight = Array.from({ length: 20 }, () => openRefund(url, agentKey));
      await writeFile(policyFile, refundPolicy("refunds-v2", "auto_approve"));
      expect((await Promise.all(inFlight)).map((result) => result.status).every((s) => s === 202)).toBe(true);
      let latest = first;
      await waitFor(async () => {
        latest = await openRefund(url, agentKey);
        return latest.pause.routing?.rule === "refunds-v2";
      });
      expect(latest.pause.status).toBe("approved");
      expect(latest.pause.routing?.policy_version).not.toBe(first.pause.routing?.policy_version);
      expect(log).toContain('"message":"policy reloaded"');

      await writeFile(
        policyFile,
        "rules:\n  - name: refunds-v3\n    action_type: refund\n    outcome: maybe\n",
      );
      await waitFor(() => log.includes("policy reload failed"));
      expect(log).toContain(
        'policy.yaml:4:14 rules.0.outcome: must be \\"auto_approve\\", \\"deny\\", \\"require\\" or \\"sample\\"',
      );
      const after = await openRefund(url, agentKey);
      expect(after.pause).toMatchObject({ status: "approved", routing: { rule: "refunds-v2" } });
    } finally {
      await stop(child);
    }
  }, 30_000);

  it("refuses to start with an invalid policy, naming the line", async () => {
    await writeFile(policyFile, "rules:\n  - name: r\n    when: amount = 5\n    outcome: deny\n");
    const result = runCli(["serve", "--port", "0", "--data-dir", dir, "--policy", policyFile]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("policy.yaml:3:11 rules.0.when.0:");
    expect(result.stderr).toContain('use "==" to compare');
  });
});
