import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startTestServer, type TestServer } from "@countersign/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../test-support/cli-process.ts";

let t: TestServer;
let dir: string;
let exportFile: string;
let checkpointFile: string;
let jwksFile: string;
let pauseId: string;

async function post(path: string, key: string, body: unknown) {
  const response = await fetch(`${t.url}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return (await response.json()) as Record<string, unknown>;
}

beforeAll(async () => {
  t = await startTestServer();
  dir = await mkdtemp(join(tmpdir(), "countersign-audit-"));
  for (let index = 0; index < 3; index++) {
    const pause = await post("/v1/pauses", t.agentKey, {
      agent_id: "billing-agent",
      action: { type: "payment", data: { amount: 100 + index } },
    });
    if (index === 1) pauseId = String(pause.pause_id);
    await t.approve(String(pause.pause_id), { reason: `ok ${index}` });
  }
  exportFile = join(dir, "audit.jsonl");
  checkpointFile = join(dir, "checkpoint.json");
  jwksFile = join(dir, "keys.json");
  await writeFile(jwksFile, JSON.stringify(t.jwks));
  const exported = runCli([
    "audit",
    "export",
    "--data-dir",
    t.dataDir,
    "--out",
    exportFile,
    "--checkpoint",
    checkpointFile,
  ]);
  expect(exported.code).toBe(0);
}, 120_000);
afterAll(async () => {
  await t.close();
  await rm(dir, { recursive: true, force: true });
});

async function lines(): Promise<string[]> {
  return (await readFile(exportFile, "utf8")).trim().split("\n");
}

async function verifyLines(name: string, content: string[], withCheckpoint = false) {
  const file = join(dir, `${name}.jsonl`);
  await writeFile(file, `${content.join("\n")}\n`);
  const result = runCli([
    "audit",
    "verify",
    file,
    "--jwks",
    jwksFile,
    ...(withCheckpoint ? ["--checkpoint", checkpointFile] : []),
  ]);
  return {
    code: result.code,
    output: JSON.parse(result.stdout) as { valid: boolean; problem: { kind: string; seq: number } | null },
  };
}

// Each test spawns the real CLI: seconds apiece on a busy machine.
describe("countersign audit export and verify", { timeout: 120_000 }, () => {
  it("exports the log as JSON Lines with a signed checkpoint, and verifies it (exit 0)", async () => {
    const exported = await lines();
    expect(exported.length).toBeGreaterThanOrEqual(6);
    expect(JSON.parse(exported[0]!)).toMatchObject({ seq: 1, type: "pause.opened" });
    const checkpoint = JSON.parse(await readFile(checkpointFile, "utf8"));
    expect(checkpoint).toMatchObject({ v: 2, size: exported.length, kid: t.jwks.keys[0]!.kid });
    const result = await verifyLines("genuine", exported, true);
    expect(result.code).toBe(0);
    expect(result.output).toMatchObject({
      valid: true,
      problem: null,
      checkpoint: { size: exported.length },
    });
  });

  it("exits 1 for an edited event", async () => {
    const exported = await lines();
    const event = JSON.parse(exported[3]!);
    event.data.reason = "rewritten";
    exported[3] = JSON.stringify(event);
    expect(await verifyLines("edited", exported)).toMatchObject({
      code: 1,
      output: { problem: { kind: "edited", seq: 4 } },
    });
  });

  it("exits 1 for a dropped event", async () => {
    const exported = await lines();
    exported.splice(2, 1);
    expect(await verifyLines("dropped", exported)).toMatchObject({
      code: 1,
      output: { problem: { kind: "dropped", seq: 3 } },
    });
  });

  it("exits 1 for an inserted event", async () => {
    const exported = await lines();
    const copy = JSON.parse(exported[2]!);
    copy.event_id = "evt_forged";
    copy.actor = { kind: "human", id: "mallory@example.com" };
    exported.splice(3, 0, JSON.stringify(copy));
    expect(await verifyLines("inserted", exported)).toMatchObject({
      code: 1,
      output: { problem: { kind: "inserted" } },
    });
  });

  it("exits 1 for reordered events", async () => {
    const exported = await lines();
    [exported[1], exported[2]] = [exported[2]!, exported[1]!];
    expect(await verifyLines("reordered", exported)).toMatchObject({
      code: 1,
      output: { problem: { kind: "reordered" } },
    });
  });

  it("exits 1 for a log truncated after the checkpoint, and 0 without the checkpoint", async () => {
    const truncated = (await lines()).slice(0, -2);
    expect((await verifyLines("truncated-alone", truncated)).code).toBe(0);
    expect(await verifyLines("truncated", truncated, true)).toMatchObject({
      code: 1,
      output: { problem: { kind: "truncated" } },
    });
  });

  it("exits 2 on a usage mistake", () => {
    expect(runCli(["audit", "verify", exportFile]).code).toBe(2);
    expect(runCli(["audit", "frobnicate"]).code).toBe(2);
  });
});

describe("countersign audit bundle", { timeout: 120_000 }, () => {
  it("writes one pause's evidence that verifies offline with the public keys alone, and catches a forged one", async () => {
    const bundleFile = join(dir, "bundle.json");
    const made = runCli(["audit", "bundle", pauseId, "--data-dir", t.dataDir, "--out", bundleFile]);
    expect(made.code).toBe(0);
    const verified = runCli(["audit", "verify", bundleFile, "--jwks", jwksFile]);
    expect(verified.code).toBe(0);
    expect(JSON.parse(verified.stdout)).toMatchObject({
      kind: "evidence_bundle",
      valid: true,
      pauseId,
      status: "approved",
      pauseEvents: 2,
    });

    const bundle = JSON.parse(await readFile(bundleFile, "utf8"));
    bundle.proof.reason = "Approved by the CFO";
    bundle.pause.proof = bundle.proof;
    const forged = join(dir, "forged-bundle.json");
    await writeFile(forged, JSON.stringify(bundle));
    const refused = runCli(["audit", "verify", forged, "--jwks", jwksFile]);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout)).toMatchObject({ valid: false, problem: { kind: "proof_invalid" } });

    const missing = runCli(["audit", "bundle", "pau_nope", "--data-dir", t.dataDir]);
    expect(missing.code).toBe(1);
  });

  it("prints a fresh checkpoint of the log", () => {
    const result = runCli(["audit", "checkpoint", "--data-dir", t.dataDir]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ v: 2, kid: t.jwks.keys[0]!.kid });
  });
});
