import { describe, expect, it } from "vitest";
import { newId } from "../protocol/ids.ts";
import type { Execution } from "../protocol/receipt.ts";
import type { PauseRecord } from "../store/records.ts";
import {
  at,
  auditFixture,
  decisionFixture,
  deliveryFixture,
  openPause,
  type StoreHarness,
} from "./store-conformance-fixtures.ts";

const MISSING_PAUSE = "pau_00000000000000000000000000";

export function executionFixture(pause: PauseRecord, outcome: Execution["outcome"] = "succeeded"): Execution {
  return {
    v: 1,
    receipt_id: newId("receipt"),
    pause_id: pause.pauseId,
    proof_id: pause.proof?.proof_id ?? "prf_missing",
    agent_id: pause.agentId,
    action_digest: pause.actionDigest,
    outcome,
    result_digest: outcome === "succeeded" ? `sha256:${"ef".repeat(32)}` : null,
    error: outcome === "failed" ? "card declined ✗" : null,
    reported_by: { kind: "executor", key_id: "key_executor", identity: "payments-service" },
    claimed_at: at(120),
    reported_at: at(180),
    kid: "kid-1",
    signature: `sha256=${"cd".repeat(32)}`,
    signatures: [{ alg: "Ed25519", kid: "kid-1", sig: "c2lnbmF0dXJl" }],
  };
}

export function describeReceiptConformance(harness: StoreHarness): void {
  describe("execution receipts", () => {
    async function approvedPause(): Promise<PauseRecord> {
      const pause = await openPause(harness.store);
      const result = await harness.store.decide(pause.pauseId, decisionFixture(pause, "approved"), {
        audit: [],
      });
      return result!.pause;
    }

    async function claimedPause(claimedBy = "key_executor", seconds = 120): Promise<PauseRecord> {
      const pause = await approvedPause();
      const claimed = await harness.store.claim(
        pause.pauseId,
        at(seconds),
        auditFixture("pause.claimed", { pauseId: pause.pauseId }),
        claimedBy,
      );
      expect(claimed?.ok).toBe(true);
      return claimed!.pause;
    }

    it("remembers which key claimed", async () => {
      const pause = await approvedPause();
      const claimed = await harness.store.claim(
        pause.pauseId,
        at(120),
        auditFixture("pause.claimed"),
        "key_x",
      );
      expect(claimed).toEqual({ ok: true, pause: { ...pause, claimedAt: at(120), claimedBy: "key_x" } });
      expect(await harness.store.getPause(pause.pauseId)).toEqual(claimed!.pause);
    });

    it("records a receipt once, with its audit event and webhook delivery", async () => {
      const pause = await claimedPause();
      const execution = executionFixture(pause, "failed");
      const delivery = deliveryFixture(pause.pauseId);
      const first = await harness.store.recordExecution(pause.pauseId, execution, {
        delivery,
        audit: [auditFixture("pause.executed", { pauseId: pause.pauseId })],
      });
      expect(first).toEqual({ ok: true, pause: { ...pause, execution } });
      expect(await harness.store.getPause(pause.pauseId)).toEqual({ ...pause, execution });
      const second = await harness.store.recordExecution(pause.pauseId, executionFixture(pause), {
        delivery: deliveryFixture(pause.pauseId),
        audit: [auditFixture("pause.executed", { pauseId: pause.pauseId })],
      });
      expect(second).toEqual({ ok: false, pause: { ...pause, execution } });
      expect(await harness.store.listDeliveries(pause.pauseId)).toEqual([delivery]);
      expect(await harness.store.listAudit({ type: "pause.executed", limit: 10 })).toHaveLength(1);
    });

    it("lets exactly one of 50 concurrent receipts win", async () => {
      const pause = await claimedPause();
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, index) =>
          harness.store.recordExecution(
            pause.pauseId,
            executionFixture(pause, index % 2 === 0 ? "succeeded" : "failed"),
            { audit: [auditFixture("pause.executed", { pauseId: pause.pauseId })] },
          ),
        ),
      );
      const winners = results.filter((result) => result?.ok === true);
      expect(winners).toHaveLength(1);
      for (const result of results) expect(result?.pause).toEqual(winners[0]!.pause);
      expect(await harness.store.listAudit({ type: "pause.executed", limit: 100 })).toHaveLength(1);
    });

    it("refuses a receipt for an unclaimed pause, and returns null for a missing one", async () => {
      const pause = await approvedPause();
      const refused = await harness.store.recordExecution(pause.pauseId, executionFixture(pause), {
        audit: [auditFixture("pause.executed", { pauseId: pause.pauseId })],
      });
      expect(refused).toEqual({ ok: false, pause });
      expect(await harness.store.listAudit({ type: "pause.executed", limit: 10 })).toHaveLength(0);
      expect(
        await harness.store.recordExecution(MISSING_PAUSE, executionFixture(pause), { audit: [] }),
      ).toBeNull();
    });

    it("lists claimed pauses without a receipt, optionally claimed before an instant", async () => {
      const reported = await claimedPause("key_a", 100);
      const early = await claimedPause("key_a", 100);
      const late = await claimedPause("key_a", 500);
      await approvedPause();
      await harness.store.recordExecution(reported.pauseId, executionFixture(reported), { audit: [] });
      const ids = async (query: { claimedBefore?: string }) =>
        (await harness.store.listPauses({ limit: 10, claimedWithoutReceipt: true, ...query })).items
          .map((pause) => pause.pauseId)
          .sort();
      expect(await ids({})).toEqual([early.pauseId, late.pauseId].sort());
      expect(await ids({ claimedBefore: at(300) })).toEqual([early.pauseId]);
      expect(await ids({ claimedBefore: at(100) })).toEqual([early.pauseId]);
      expect(await ids({ claimedBefore: at(99) })).toEqual([]);
    });
  });
}
