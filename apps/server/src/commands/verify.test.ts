import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startTestServer, type TestServer } from "@countersign/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../test-support/cli-process.ts";

let t: TestServer;
let dir: string;
let proofFile: string;
let jwksFile: string;
let pauseId: string;
let actionFile: string;

beforeAll(async () => {
  t = await startTestServer();
  dir = await mkdtemp(join(tmpdir(), "countersign-verify-"));
  const opened = await fetch(`${t.url}/v1/pauses`, {
    method: "POST",
    headers: { authorization: `Bearer ${t.agentKey}`, "content-type": "application/json" },
    body: JSON.stringify({ agent_id: "billing-agent", action: { type: "payment", data: { amount: 12450 } } }),
  });
  pauseId = ((await opened.json()) as { pause_id: string }).pause_id;
  const decided = await t.approve(pauseId);
  proofFile = join(dir, "proof.json");
  jwksFile = join(dir, "keys.json");
  actionFile = join(dir, "requested-action.json");
  await writeFile(actionFile, JSON.stringify({ type: "payment", data: { amount: 12450 } }));
  await writeFile(proofFile, JSON.stringify(decided.proof));
  await writeFile(jwksFile, JSON.stringify(t.jwks));
});
afterAll(async () => {
  await t.close();
  await rm(dir, { recursive: true, force: true });
});

describe("countersign verify", () => {
  it("exits 0 for a genuine approval of this pause and action, with the public keys or the secret", async () => {
    const bound = ["--pause-id", pauseId, "--action", actionFile];
    const withKeys = runCli(["verify", proofFile, "--jwks", jwksFile, ...bound]);
    expect(withKeys.code).toBe(0);
    expect(JSON.parse(withKeys.stdout)).toMatchObject({
      valid: true,
      decision: "approved",
      verified_with: ["ed25519"],
    });
    expect(runCli(["verify", proofFile, "--secret", t.proofSecret, ...bound]).code).toBe(0);
    const digest = (await t.server.service.getPause(pauseId))!.proof!.action_digest;
    const byDigest = ["--pause-id", pauseId, "--action-digest", digest];
    expect(runCli(["verify", proofFile, "--jwks", jwksFile, ...byDigest]).code).toBe(0);
  });

  it("refuses to call a proof valid without saying which pause and action it must be for", () => {
    const unbound = runCli(["verify", proofFile, "--jwks", jwksFile]);
    expect(unbound.code).toBe(2);
    expect(unbound.stderr).toContain("--pause-id ID and --action");
    expect(runCli(["verify", proofFile, "--jwks", jwksFile, "--pause-id", pauseId]).code).toBe(2);
    expect(runCli(["verify", proofFile, "--jwks", jwksFile, "--any-pause"]).code).toBe(0);
  });

  it("exits 1 for a tampered proof, another pause or another action", async () => {
    const tampered = join(dir, "tampered.json");
    const proof = JSON.parse(JSON.stringify((await t.server.service.getPause(pauseId))!.proof));
    proof.data = { amount: 99999 };
    await writeFile(tampered, JSON.stringify(proof));
    const result = runCli(["verify", tampered, "--jwks", jwksFile, "--any-pause"]);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ valid: false, code: "proof_invalid_signature" });
    expect(
      runCli(["verify", proofFile, "--jwks", jwksFile, "--pause-id", "pau_other", "--action", actionFile])
        .code,
    ).toBe(1);
    const action = join(dir, "action.json");
    await writeFile(action, JSON.stringify({ type: "payment", data: { amount: 1 } }));
    expect(
      runCli(["verify", proofFile, "--secret", t.proofSecret, "--pause-id", pauseId, "--action", action])
        .code,
    ).toBe(1);
  });

  it("exits 2 on a usage mistake", () => {
    expect(runCli(["verify", proofFile]).code).toBe(2);
    expect(runCli(["verify"]).code).toBe(2);
  });
});
