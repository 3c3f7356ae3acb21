// The Countersign Approval node inside a real n8n (the pinned version, installed from npm into
// ~/.cache/countersign-n8n the first time: several minutes; cached after that). The scenarios
// live in scripts/e2e-n8n.mts (the AI Agent ones in scripts/scenarios/), which
// `npx --yes pnpm@10 --filter n8n-nodes-countersign e2e` also runs by hand; this file runs it
// once and reports each scenario as a test.
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
});

describe("Countersign as the Human review of an n8n AI Agent's tool calls (scripted chat model)", () => {
  it("n8n lists the node under Human in the Loop and offers its Human review variant for agent tools", () => {
    const types = line(/node types:/);
    expect(types).toMatch(/categories \["Communication","HITL","Custom Nodes"\]/);
    expect(types).toMatch(/alias \[[^\]]*"approval"/);
    expect(types).toContain('Human review variant listed under ["Human in the Loop"]');
    expect(types).toContain("plain tool variant not listed");
  });

  it("turns the agent's tool call into a pause with the tool's name and exact arguments", () => {
    expect(line(/\[agent-approve\] execution \d+ waits/)).toMatch(
      /action refund data \{"order_id":"2001","amount":40\} tool Issue_refund; refunds so far 0/,
    );
  });

  it("approved: the tool runs once, with the call's arguments, after the approval was claimed", () => {
    expect(line(/\[agent-approve\] execution \d+ \w+;/)).toMatch(
      /success; refunds run 1 \[\{"order_id":"2001","amount":40\}\]; claimed \d{4}-/,
    );
    expect(line(/\[agent-approve\] (ok|FAILED)/)).toContain("ok");
  });

  it("a replayed approval does not run the tool a second time", () => {
    expect(line(/\[agent-replay\] n8n answered/)).toMatch(
      /answered the replayed approval 4\d\d; refunds run again 0/,
    );
    expect(line(/\[agent-replay\] (ok|FAILED)/)).toContain("ok");
  });

  it("rejected: the tool does not run and the agent reads the reviewer's reason", () => {
    expect(line(/\[agent-reject\] execution \d+ \w+;/)).toMatch(
      /refunds run 0 \[\]; claimed no; the agent was told: .*rejected the call to Issue_refund in Countersign: Over the refund limit for this customer/,
    );
    expect(line(/\[agent-reject\] (ok|FAILED)/)).toContain("ok");
  });

  it("approved with edits: the original call does not run and the agent is told the approved arguments", () => {
    expect(line(/\[agent-edit\] execution \d+ \w+;/)).toMatch(
      /refunds run 0 \[\]; claimed no; the agent was told: .*only with changed arguments: \{"order_id":"2003","amount":50\}/,
    );
    expect(line(/\[agent-edit\] (ok|FAILED)/)).toContain("ok");
  });

  it("expired: the tool does not run and the agent is told it was not approved in time", () => {
    expect(line(/\[agent-expire\] execution \d+ \w+;/)).toMatch(
      /refunds run 0 \[\]; claimed no; the agent was told: .*was not approved in time and was not run/,
    );
    expect(line(/\[agent-expire\] (ok|FAILED)/)).toContain("ok");
  });
});

describe("the whole real-n8n run", () => {
  it("ends the whole run green", () => {
    expect(exitCode, output).toBe(0);
  });
});
