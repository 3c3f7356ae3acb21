import { describe, expect, it } from "vitest";
import { newId } from "../protocol/ids.ts";
import type { ApprovalVote, DelegationRecord, PauseRecord } from "../store/records.ts";
import type { Store } from "../store/store.ts";
import {
  at,
  auditFixture,
  decisionFixture,
  openPause,
  type StoreHarness,
} from "./store-conformance-fixtures.ts";

export function delegationFixture(overrides: Partial<DelegationRecord> = {}): DelegationRecord {
  return {
    delegationId: newId("delegation"),
    from: "alice@example.com",
    to: "bob@example.com",
    startsAt: at(0),
    endsAt: at(3600),
    actionTypes: null,
    reason: "on leave",
    createdBy: "alice@example.com",
    createdAt: at(0),
    revokedAt: null,
    revokedBy: null,
    ...overrides,
  };
}

async function createDelegation(store: Store, overrides: Partial<DelegationRecord> = {}) {
  const delegation = delegationFixture(overrides);
  const result = await store.createDelegation(delegation, [
    auditFixture("delegation.created", { data: { delegation_id: delegation.delegationId } }),
  ]);
  return { delegation, result };
}

function vote(pause: PauseRecord, identity: string, onBehalfOf: string | null = null): ApprovalVote {
  return { pauseId: pause.pauseId, identity, channel: "api", at: at(30), data: null, onBehalfOf };
}

const voted = (pause: PauseRecord) => auditFixture("pause.decided", { pauseId: pause.pauseId });

export function describeDelegationConformance(harness: StoreHarness): void {
  describe("delegations", () => {
    it("stores a delegation with its audit event and reads it back", async () => {
      const { delegation, result } = await createDelegation(harness.store, { actionTypes: ["refund*"] });
      expect(result).toEqual({ created: true });
      expect(await harness.store.getDelegation(delegation.delegationId)).toEqual(delegation);
      expect(await harness.store.getDelegation(newId("delegation"))).toBeNull();
      expect(await harness.store.listAudit({ type: "delegation.created", limit: 10 })).toHaveLength(1);
    });

    it("lists newest first; activeAt keeps those in force, involving those of one person (any letter case)", async () => {
      const { store } = harness;
      const ended = (await createDelegation(store, { createdAt: at(0), endsAt: at(100) })).delegation;
      const scheduled = (
        await createDelegation(store, { createdAt: at(1), startsAt: at(500), endsAt: at(900) })
      ).delegation;
      const other = (
        await createDelegation(store, { createdAt: at(2), from: "carol@example.com", to: "dave@example.com" })
      ).delegation;
      const revoked = (await createDelegation(store, { createdAt: at(3) })).delegation;
      await store.revokeDelegation(revoked.delegationId, at(5), "alice@example.com", []);
      const ids = (list: DelegationRecord[]) => list.map((entry) => entry.delegationId);
      expect(ids(await store.listDelegations({}))).toEqual([
        revoked.delegationId,
        other.delegationId,
        scheduled.delegationId,
        ended.delegationId,
      ]);
      expect(ids(await store.listDelegations({ activeAt: at(200) }))).toEqual([other.delegationId]);
      expect(ids(await store.listDelegations({ activeAt: at(600) }))).toEqual([
        other.delegationId,
        scheduled.delegationId,
      ]);
      expect(ids(await store.listDelegations({ activeAt: at(600), involving: "BOB@example.com" }))).toEqual([
        scheduled.delegationId,
      ]);
      expect(ids(await store.listDelegations({ involving: "dave@example.com" }))).toEqual([
        other.delegationId,
      ]);
    });

    it("refuses a delegation back the other way for an overlapping period, and writes nothing", async () => {
      const { store } = harness;
      const { delegation } = await createDelegation(store);
      const back = await createDelegation(store, {
        from: "Bob@example.com",
        to: "alice@example.com",
        startsAt: at(3000),
        endsAt: at(7200),
      });
      expect(back.result).toEqual({ created: false, reverse: delegation });
      expect(await store.getDelegation(back.delegation.delegationId)).toBeNull();
      expect(await store.listAudit({ type: "delegation.created", limit: 10 })).toHaveLength(1);
      // Not overlapping, or the first revoked: allowed.
      const after = await createDelegation(store, {
        from: "bob@example.com",
        to: "alice@example.com",
        startsAt: at(3600),
        endsAt: at(4000),
      });
      expect(after.result).toEqual({ created: true });
      await store.revokeDelegation(delegation.delegationId, at(10), "alice@example.com", []);
      const now = await createDelegation(store, {
        from: "bob@example.com",
        to: "alice@example.com",
        endsAt: at(600),
      });
      expect(now.result).toEqual({ created: true });
    });

    it("lets only one of two people delegating to each other at once succeed", async () => {
      const { store } = harness;
      for (let round = 0; round < 20; round++) {
        const from = `p${round}a@example.com`;
        const to = `p${round}b@example.com`;
        const results = await Promise.all([
          createDelegation(store, { from, to }),
          createDelegation(store, { from: to, to: from }),
        ]);
        expect(results.filter((entry) => entry.result.created)).toHaveLength(1);
      }
    });

    it("revokes once: the first revocation is kept and audited", async () => {
      const { delegation } = await createDelegation(harness.store);
      const audit = [
        auditFixture("delegation.revoked", { data: { delegation_id: delegation.delegationId } }),
      ];
      const first = await harness.store.revokeDelegation(
        delegation.delegationId,
        at(10),
        "bob@example.com",
        audit,
      );
      expect(first).toEqual({
        revoked: true,
        delegation: { ...delegation, revokedAt: at(10), revokedBy: "bob@example.com" },
      });
      const second = await harness.store.revokeDelegation(delegation.delegationId, at(20), "admin", audit);
      expect(second).toEqual(first && { ...first, revoked: false });
      expect(await harness.store.revokeDelegation(newId("delegation"), at(20), "admin", audit)).toBeNull();
      expect(await harness.store.listAudit({ type: "delegation.revoked", limit: 10 })).toHaveLength(1);
    });

    it("writes a delegate's decision only while the delegation is in force", async () => {
      const { store } = harness;
      const { delegation } = await createDelegation(store, { startsAt: at(100), endsAt: at(200) });
      const use = (seconds: number) => ({ delegationId: delegation.delegationId, at: at(seconds) });
      const pause = await openPause(store);
      const update = decisionFixture(pause, "approved");
      for (const seconds of [99, 200]) {
        const refused = await store.decide(pause.pauseId, update, { audit: [], delegation: use(seconds) });
        expect(refused).toMatchObject({ ok: false, delegationEnded: true, pause: { status: "pending" } });
      }
      const decided = await store.decide(pause.pauseId, update, {
        audit: [voted(pause)],
        delegation: use(150),
      });
      expect(decided).toMatchObject({ ok: true, pause: { status: "approved" } });
      expect(
        await store.listAudit({ pauseId: pause.pauseId, type: "pause.decided", limit: 10 }),
      ).toHaveLength(1);

      const later = await openPause(store);
      await store.revokeDelegation(delegation.delegationId, at(120), "alice@example.com", []);
      const revoked = await store.decide(later.pauseId, decisionFixture(later, "approved"), {
        audit: [],
        delegation: use(150),
      });
      expect(revoked).toMatchObject({ ok: false, delegationEnded: true, pause: { status: "pending" } });
      const vote150 = await store.addApproval(
        vote(later, "bob@example.com", "alice@example.com"),
        voted(later),
        {
          delegation: use(150),
        },
      );
      expect(vote150).toEqual({ outcome: "delegation_ended", approvals: [] });
    });

    it("of a revocation and a delegate's decision racing, the decision commits only if it came first", async () => {
      const { store } = harness;
      for (let round = 0; round < 20; round++) {
        const { delegation } = await createDelegation(store);
        const pause = await openPause(store);
        const [decided, revoked] = await Promise.all([
          store.decide(pause.pauseId, decisionFixture(pause, "approved"), {
            audit: [voted(pause)],
            delegation: { delegationId: delegation.delegationId, at: at(60) },
          }),
          store.revokeDelegation(delegation.delegationId, at(60), "alice@example.com", [
            auditFixture("delegation.revoked", { data: { delegation_id: delegation.delegationId } }),
          ]),
        ]);
        expect(revoked?.revoked).toBe(true);
        const events = await store.listAudit({ limit: 1000 });
        const decidedSeq = events.find(
          (event) => event.type === "pause.decided" && event.pause_id === pause.pauseId,
        )?.seq;
        const revokedSeq = events.find(
          (event) =>
            event.type === "delegation.revoked" && event.data.delegation_id === delegation.delegationId,
        )?.seq;
        if (decided?.ok) expect(decidedSeq).toBeLessThan(revokedSeq!);
        else expect(decided).toMatchObject({ delegationEnded: true, pause: { status: "pending" } });
      }
    });

    it("gives a delegator and their delegate one seat in a quorum, and a delegate for two one vote", async () => {
      const { store } = harness;
      const pause = await openPause(store);
      const byBob = await store.addApproval(
        vote(pause, "bob@example.com", "alice@example.com"),
        voted(pause),
      );
      expect(byBob).toMatchObject({
        outcome: "added",
        approvals: [{ identity: "bob@example.com", onBehalfOf: "alice@example.com" }],
      });
      // Alice herself, someone else for Alice, Bob again for Carol: all the same seat or person.
      for (const [identity, onBehalfOf] of [
        ["ALICE@example.com", null],
        ["dave@example.com", "alice@example.com"],
        ["bob@example.com", "carol@example.com"],
      ] as const) {
        const result = await store.addApproval(vote(pause, identity, onBehalfOf), voted(pause));
        expect(result?.outcome).toBe("duplicate");
      }
      // Bob voted for Alice; Bob's own seat is his vote, so Carol standing in... for Bob is taken too.
      expect(
        (await store.addApproval(vote(pause, "carol@example.com", "bob@example.com"), voted(pause)))?.outcome,
      ).toBe("duplicate");
      const byCarol = await store.addApproval(vote(pause, "carol@example.com"), voted(pause));
      expect(byCarol?.outcome).toBe("added");
      expect(await store.listApprovals(pause.pauseId)).toEqual([
        expect.objectContaining({ identity: "bob@example.com", onBehalfOf: "alice@example.com" }),
        expect.objectContaining({ identity: "carol@example.com", onBehalfOf: null }),
      ]);
    });

    it("counts one vote per seat when a delegator and their delegate approve at once", async () => {
      const { store } = harness;
      for (let round = 0; round < 20; round++) {
        const pause = await openPause(store);
        const results = await Promise.all([
          store.addApproval(vote(pause, "alice@example.com"), voted(pause)),
          store.addApproval(vote(pause, "bob@example.com", "alice@example.com"), voted(pause)),
        ]);
        expect(results.map((result) => result?.outcome).sort()).toEqual(["added", "duplicate"]);
        expect(await store.listApprovals(pause.pauseId)).toHaveLength(1);
      }
    });
  });
}
