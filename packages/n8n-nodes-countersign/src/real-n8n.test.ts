// The Countersign Approval node inside a real n8n (the pinned version, installed from npm into
// ~/.cache/countersign-n8n the first time: several minutes; cached after that). The scenarios
// live in scripts/e2e-n8n.mts, which `npx --yes pnpm@10 --filter n8n-nodes-countersign e2e`
// also runs by hand; this file runs it once and reports each scenario as a test.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

// A CommonJS package for TypeScript; vitest provides __dirname.
const script = join(__dirname, "..", "scripts", "e2e");
const INSTALL_AND_RUN_MS = 45 * 60_000;

let output = "";
let exitCode: number | null = null;

beforeAll(async () => {
  exitCode = await new Promise<number | null>((resolve, reject) => {
    // n8n as a user runs it: not in vitest's test mode (NODE_ENV=test, VITEST_*).
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([name]) => name !== "NODE_ENV" && !name.startsWith("VITEST")),
    );
    const child = spawn(script, [], { stdio: ["ignore", "pipe", "pipe"], env });
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
    });
    child.once("error", reject);
    child.once("exit", resolve);
  });
  console.log(output);
}, INSTALL_AND_RUN_MS);

/** The log line of a step, or a failure that shows the whole run. */
function line(pattern: RegExp): string {
  const found = output.split("\n").find((entry) => pattern.test(entry));
  if (found === undefined) throw new Error(`no line matching ${pattern} in the e2e run:\n${output}`);
  return found;
}

describe("the Countersign Approval node in a real n8n", () => {
  it("tells a good agent key from a wrong one in n8n's credential test", () => {
    expect(line(/credential test:/)).toMatch(/agent key -> OK; wrong key -> Error/);
  });

  it("refuses a forged decision webhook with 401 and keeps the execution waiting", () => {
    expect(line(/\[approve\] forged webhook answered/)).toMatch(/answered 401: .*execution is waiting/);
  });

  it("approved in Countersign: the workflow resumes on the approved branch and claims the approval", () => {
    expect(line(/\[approve\] the approval was claimed/)).toMatch(/claimed in Countersign at \d{4}-/);
    expect(line(/\[approve\] (ok|FAILED)/)).toContain('ok: "Issue refund" ran');
  });

  it("rejected in Countersign: the workflow takes the rejected branch", () => {
    expect(line(/\[reject\] (ok|FAILED)/)).toContain('ok: "Refund declined" ran');
  });

  it("expired: the workflow takes the rejected branch", () => {
    expect(line(/\[expire\] (ok|FAILED)/)).toContain('ok: "Refund declined" ran');
  });

  it("Countersign Trigger: n8n registers its endpoint on activation, refuses a forged delivery, runs on a rejection", () => {
    expect(line(/\[trigger\] n8n registered endpoint/)).toMatch(/endpoint whe_\w+ for http/);
    expect(line(/\[trigger\] forged delivery/)).toMatch(/answered 401; executions started: 0/);
    expect(line(/\[trigger\] (ok|FAILED)/)).toContain('ok: "Open ticket" ran');
  });

  it("ends the whole run green", () => {
    expect(exitCode, output).toBe(0);
  });
});
