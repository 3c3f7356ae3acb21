import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyCheckpoint } from "../audit/audit-checkpoint.ts";
import type { EvidenceBundle } from "../audit/evidence-bundle.ts";
import { verifyAuditLog } from "../audit/verify-audit-log.ts";
import { verifyEvidenceBundle } from "../audit/verify-evidence-bundle.ts";
import type { AuditEvent } from "../protocol/audit-event.ts";
import type { JwkSet } from "../protocol/keys.ts";
import { startTestServer, type TestServer } from "../testing/test-server.ts";
import { decide, openPause, putIdentity, refund, seedPolicy } from "./governance-test-helpers.ts";
import { call } from "./server-test-helpers.ts";

let t: TestServer;
let keys: JwkSet;
let pauseId: string;
let bundle: EvidenceBundle;

beforeAll(async () => {
  t = await startTestServer({ policy: seedPolicy().hook });
  keys = (await call(t, "GET", "/v1/keys", { key: null })).body as unknown as JwkSet;
  await putIdentity(t, "bob@example.com", ["finance"]);
  const pause = await openPause(t, refund(900));
  pauseId = pause.pause_id;
  // Other pauses' events interleave with this one's.
  await openPause(t, refund(20));
  await openPause(t, refund(200));
  await decide(t, pauseId, t.secondApproverKey, { decision: "approve", reason: "Matches the ticket" });
  await call(t, "POST", `/v1/pauses/${pauseId}/claim`, { body: {} });
  bundle = (await call(t, "GET", `/v1/pauses/${pauseId}/evidence`, { key: t.adminKey }))
    .body as unknown as EvidenceBundle;
});
afterAll(async () => {
  await t.close();
});

const copy = <Value>(value: Value): Value => JSON.parse(JSON.stringify(value));

describe("audit log, checkpoints and evidence bundles from the running server", () => {
  it("serves a checkpoint that verifies with /v1/keys and matches the exported log", async () => {
    const checkpoint = (await call(t, "GET", "/v1/audit/checkpoint", { key: t.adminKey })).body;
    expect(checkpoint).toMatchObject({ v: 2, size: expect.any(Number), kid: keys.keys[0]!.kid });
    expect(checkpoint.root_hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect((await verifyCheckpoint(checkpoint, keys)).ok).toBe(true);
    const log = (await call(t, "GET", "/v1/audit?limit=1000", { key: t.adminKey })).body.data as AuditEvent[];
    const result = await verifyAuditLog(log, { keys, checkpoint });
    expect(result).toMatchObject({ valid: true, size: checkpoint.size, headHash: checkpoint.head_hash });
    expect((await call(t, "GET", "/v1/audit/checkpoint", { key: t.approverKey })).status).toBe(403);
  });

  it("bundles the pause, its proof, only its own events with inclusion proofs and a checkpoint, verifiable with the public keys alone", async () => {
    expect(bundle).toMatchObject({
      v: 2,
      type: "countersign.evidence_bundle",
      pause: { pause_id: pauseId, status: "approved" },
    });
    if (bundle.v !== 2) throw new Error("expected a v2 bundle");
    expect(bundle.events.map((event) => event.type)).toEqual([
      "pause.opened",
      "pause.routed",
      "pause.decided",
      "pause.claimed",
    ]);
    // Other pauses' events interleave in the log, but none of them is in the bundle.
    expect(bundle.events.every((event) => event.pause_id === pauseId)).toBe(true);
    expect(bundle.events.at(-1)!.seq - bundle.events[0]!.seq).toBeGreaterThan(3);
    expect(bundle.inclusion).toHaveLength(4);
    expect(bundle.checkpoint.size).toBeGreaterThanOrEqual(bundle.events.at(-1)!.seq);
    expect(await verifyEvidenceBundle(bundle, { keys })).toEqual({
      valid: true,
      v: 2,
      pauseId,
      status: "approved",
      pauseEvents: 4,
      logSize: bundle.checkpoint.size,
      problem: null,
    });
  });

  it("refuses a bundle whose event, action, proof or checkpoint was tampered with", async () => {
    const editedEvent = copy(bundle);
    editedEvent.events[2]!.data = { ...editedEvent.events[2]!.data, reason: "Nothing to see" };
    expect((await verifyEvidenceBundle(editedEvent, { keys })).problem?.kind).toBe("edited");

    // Hiding the decision (its event and its inclusion proof) leaves the proof unrecorded.
    const droppedEvent = copy(bundle) as Extract<EvidenceBundle, { v: 2 }>;
    droppedEvent.events.splice(2, 1);
    droppedEvent.inclusion.splice(2, 1);
    expect((await verifyEvidenceBundle(droppedEvent, { keys })).problem?.kind).toBe("proof_invalid");

    const wrongPath = copy(bundle) as Extract<EvidenceBundle, { v: 2 }>;
    wrongPath.inclusion[1]![0] = "0".repeat(64);
    expect((await verifyEvidenceBundle(wrongPath, { keys })).problem).toMatchObject({
      kind: "not_included",
      seq: bundle.events[1]!.seq,
    });

    const otherAction = copy(bundle);
    otherAction.pause.action.data = { ...otherAction.pause.action.data, amount: 9 };
    expect((await verifyEvidenceBundle(otherAction, { keys })).problem?.kind).toBe("pause_mismatch");

    const forgedProof = copy(bundle);
    forgedProof.proof!.reason = "Approved by the CFO";
    forgedProof.pause.proof = forgedProof.proof;
    expect((await verifyEvidenceBundle(forgedProof, { keys })).problem).toMatchObject({
      kind: "proof_invalid",
      message: expect.stringContaining("proof_invalid_signature"),
    });

    const statusFlipped = copy(bundle);
    statusFlipped.pause.status = "rejected";
    expect((await verifyEvidenceBundle(statusFlipped, { keys })).valid).toBe(false);

    const smallerLog = copy(bundle) as Extract<EvidenceBundle, { v: 2 }>;
    smallerLog.checkpoint.size -= 1;
    expect((await verifyEvidenceBundle(smallerLog, { keys })).problem?.kind).toBe("checkpoint_invalid");

    const otherKeys = { keys: [{ ...keys.keys[0]!, kid: "someone-else" }] };
    expect((await verifyEvidenceBundle(bundle, { keys: otherKeys })).problem?.kind).toBe(
      "checkpoint_invalid",
    );
    expect((await verifyEvidenceBundle({ hello: "auditor" }, { keys })).problem?.kind).toBe("malformed");
  });
});
