import { describe, expect, it } from "vitest";
import { newId } from "../protocol/ids.ts";
import type { FollowUpRecord, PauseRecord } from "../store/records.ts";
import type { Store } from "../store/store.ts";
import {
  at,
  auditFixture,
  decisionFixture,
  openPause,
  type StoreHarness,
} from "./store-conformance-fixtures.ts";

const LEASE_MS = 60_000;
const plusMs = (timestamp: string, milliseconds: number) =>
  new Date(Date.parse(timestamp) + milliseconds).toISOString();

function followUpFixture(pauseId: string, overrides: Partial<FollowUpRecord> = {}): FollowUpRecord {
  return {
    followUpId: newId("followUp"),
    pauseId,
    channel: "email",
    target: "carol@example.com",
    identity: "carol@example.com",
    reference: "<first@countersign.example>",
    status: "waiting",
    attempts: 0,
    nextAttemptAt: at(1),
    leaseUntil: null,
    lastError: null,
    createdAt: at(1),
    doneAt: null,
    ...overrides,
  };
}

async function decide(store: Store, pause: PauseRecord): Promise<void> {
  const decided = await store.decide(pause.pauseId, decisionFixture(pause, "approved"), {
    audit: [auditFixture("pause.decided", { pauseId: pause.pauseId })],
  });
  expect(decided?.ok).toBe(true);
}

const ids = (followUps: FollowUpRecord[]) => followUps.map((followUp) => followUp.followUpId).sort();

export function describeFollowUpConformance(harness: StoreHarness): void {
  describe("follow-ups", () => {
    it("keeps one per pause, channel and recipient: a second add writes nothing", async () => {
      const pause = await openPause(harness.store);
      const first = followUpFixture(pause.pauseId);
      expect(await harness.store.addFollowUp(first)).toBe(true);
      expect(
        await harness.store.addFollowUp(followUpFixture(pause.pauseId, { identity: "someone-else" })),
      ).toBe(false);
      const slack = followUpFixture(pause.pauseId, { channel: "slack", createdAt: at(2) });
      const dave = followUpFixture(pause.pauseId, { target: "dave@example.com", createdAt: at(3) });
      expect(await harness.store.addFollowUp(slack)).toBe(true);
      expect(await harness.store.addFollowUp(dave)).toBe(true);
      expect(await harness.store.listFollowUps(pause.pauseId)).toEqual([first, slack, dave]);
    });

    it("leases only waiting, due, unleased follow-ups of the channel whose pause is decided", async () => {
      const pending = await openPause(harness.store);
      await harness.store.addFollowUp(followUpFixture(pending.pauseId));
      const decided = await openPause(harness.store);
      const due = followUpFixture(decided.pauseId);
      await harness.store.addFollowUp(due);
      await harness.store.addFollowUp(
        followUpFixture(decided.pauseId, { target: "later@example.com", nextAttemptAt: at(100) }),
      );
      await harness.store.addFollowUp(
        followUpFixture(decided.pauseId, { target: "sent@example.com", status: "sent" }),
      );
      await harness.store.addFollowUp(followUpFixture(decided.pauseId, { channel: "slack" }));
      await decide(harness.store, decided);

      const leased = await harness.store.leaseDueFollowUps("email", at(20), 10, LEASE_MS);
      expect(leased).toEqual([{ ...due, leaseUntil: plusMs(at(20), LEASE_MS) }]);
      expect(await harness.store.leaseDueFollowUps("email", at(21), 10, LEASE_MS)).toEqual([]);
      // Once its lease has run out, a follow-up nobody finished is handed out again.
      const again = await harness.store.leaseDueFollowUps("email", at(81), 10, LEASE_MS);
      expect(ids(again)).toEqual([due.followUpId]);

      await decide(harness.store, pending);
      expect(await harness.store.leaseDueFollowUps("email", at(82), 10, LEASE_MS)).toHaveLength(1);
    });

    it("leases at most `limit`, and never the same follow-up to two concurrent callers", async () => {
      const pause = await openPause(harness.store);
      const all: FollowUpRecord[] = [];
      for (let index = 0; index < 10; index++) {
        const followUp = followUpFixture(pause.pauseId, { target: `person-${index}@example.com` });
        await harness.store.addFollowUp(followUp);
        all.push(followUp);
      }
      await decide(harness.store, pause);
      const [first, second] = await Promise.all([
        harness.store.leaseDueFollowUps("email", at(20), 6, LEASE_MS),
        harness.store.leaseDueFollowUps("email", at(20), 6, LEASE_MS),
      ]);
      expect(first!.length).toBeLessThanOrEqual(6);
      expect(second!.length).toBeLessThanOrEqual(6);
      expect([...ids(first!), ...ids(second!)].sort()).toEqual(ids(all));
    });

    it("records an attempt: a retry waits for its time, a sent one is done and never leased again", async () => {
      const pause = await openPause(harness.store);
      const followUp = followUpFixture(pause.pauseId);
      await harness.store.addFollowUp(followUp);
      await decide(harness.store, pause);
      await harness.store.leaseDueFollowUps("email", at(20), 10, LEASE_MS);

      await harness.store.finishFollowUp(followUp.followUpId, {
        status: "waiting",
        nextAttemptAt: at(50),
        lastError: "421 try again later",
        at: at(21),
      });
      const [retrying] = await harness.store.listFollowUps(pause.pauseId);
      expect(retrying).toEqual({
        ...followUp,
        attempts: 1,
        nextAttemptAt: at(50),
        lastError: "421 try again later",
      });
      expect(await harness.store.leaseDueFollowUps("email", at(49), 10, LEASE_MS)).toEqual([]);
      expect(await harness.store.leaseDueFollowUps("email", at(50), 10, LEASE_MS)).toHaveLength(1);

      await harness.store.finishFollowUp(followUp.followUpId, {
        status: "sent",
        nextAttemptAt: at(51),
        lastError: null,
        at: at(51),
      });
      const [sent] = await harness.store.listFollowUps(pause.pauseId);
      expect(sent).toMatchObject({
        status: "sent",
        attempts: 2,
        leaseUntil: null,
        doneAt: at(51),
        lastError: null,
      });
      expect(await harness.store.leaseDueFollowUps("email", at(10_000), 10, LEASE_MS)).toEqual([]);
    });

    it("refuses to finish a follow-up that does not exist", async () => {
      await expect(
        harness.store.finishFollowUp(newId("followUp"), {
          status: "sent",
          nextAttemptAt: at(1),
          lastError: null,
          at: at(1),
        }),
      ).rejects.toMatchObject({ code: "not_found" });
    });
  });
}
