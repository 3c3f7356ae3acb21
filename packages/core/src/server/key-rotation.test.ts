import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { verifyProof } from "../proof/verify-proof.ts";
import { sqliteStore } from "../store/sqlite/index.ts";
import type { Store } from "../store/store.ts";
import { createApprovalServer } from "./create-approval-server.ts";
import { silentLogger } from "./json-logger.ts";
import { rotateSigningKey } from "./key-rotation.ts";

let dir: string;
let store: Store;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "countersign-rotation-"));
  store = sqliteStore(join(dir, "countersign.db"));
});
afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

async function approvedProof(server: Awaited<ReturnType<typeof createApprovalServer>>) {
  const agent = await server.issueApiKey({ role: "agent", identity: "o@example.com", agentIds: ["a"] });
  const approver = await server.issueApiKey({ role: "approver", identity: `p${Date.now()}@example.com` });
  const headers = (key: string) => ({ authorization: `Bearer ${key}`, "content-type": "application/json" });
  const opened = await server.fetch(
    new Request("http://countersign.test/v1/pauses", {
      method: "POST",
      headers: headers(agent.key),
      body: JSON.stringify({ agent_id: "a", action: { type: "payment" } }),
    }),
  );
  const pause = (await opened.json()) as { pause_id: string; action: { type: string } };
  const decided = await server.fetch(
    new Request(`http://countersign.test/v1/pauses/${pause.pause_id}/decision`, {
      method: "POST",
      headers: headers(approver.key),
      body: JSON.stringify({ decision: "approve" }),
    }),
  );
  return {
    pause,
    proof: ((await decided.json()) as { proof: { kid: string; signatures: { kid: string }[] } }).proof,
  };
}

describe("signing key rotation", () => {
  it("signs with a new kid after a restart and keeps old proofs verifiable with the published keys", async () => {
    const before = await createApprovalServer({ store, log: silentLogger, background: false });
    const old = await approvedProof(before);
    const oldKid = old.proof.signatures[0]!.kid;
    await before.close();

    const { retired, current } = await rotateSigningKey(store);
    expect(retired.kid).toBe(oldKid);
    expect(current.kid).not.toBe(oldKid);

    const after = await createApprovalServer({ store, log: silentLogger, background: false });
    const keys = (await (await after.fetch(new Request("http://countersign.test/v1/keys"))).json()) as {
      keys: { kid: string }[];
    };
    expect(keys.keys.map((key) => key.kid)).toEqual([current.kid, oldKid]);
    const fresh = await approvedProof(after);
    expect(fresh.proof.signatures[0]!.kid).toBe(current.kid);
    await after.close();

    for (const { pause, proof } of [old, fresh]) {
      const verified = await verifyProof(proof, {
        keys: keys as never,
        pauseId: pause.pause_id,
        action: pause.action,
      });
      expect(verified.approved).toBe(true);
    }
    // A verifier still pinned to the old set refuses the new key until it is given it.
    await expect(
      verifyProof(fresh.proof, {
        keys: { keys: [retired] },
        pauseId: fresh.pause.pause_id,
        require: "approved",
      }),
    ).rejects.toMatchObject({ code: "proof_unknown_key" });
  });
});
