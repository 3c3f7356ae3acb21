import { describe, expect, it } from "vitest";
import type { ApprovalVote, IdentityRecord } from "../store/records.ts";
import { at, auditFixture, pauseFixture, type StoreHarness } from "./store-conformance-fixtures.ts";

function vote(pauseId: string, identity: string, seconds = 1): ApprovalVote {
  return { pauseId, identity, channel: "web", at: at(seconds), data: null };
}

function identity(overrides: Partial<IdentityRecord> = {}): IdentityRecord {
  return {
    identity: "alice@example.com",
    email: "alice@example.com",
    slackUserId: "U0ALICE",
    teamsUserId: "8d6c1f0e-3b1a-4c55-9a8e-2f4b7c9d0e11",
    displayName: "Alice",
    groups: ["finance", "finance-oncall"],
    createdAt: at(0),
    updatedAt: at(0),
    ...overrides,
  };
}

/** Quorum votes, identities, single-use tokens and the audit head. */
export function describeGovernanceConformance(harness: StoreHarness): void {
  describe("quorum approvals", () => {
    it("counts each identity once, oldest first, with one audit event per added vote", async () => {
      const { store } = harness;
      const pause = pauseFixture();
      await store.createPause(pause, { audit: [] });
      const first = await store.addApproval(
        vote(pause.pauseId, "alice@example.com", 1),
        auditFixture("pause.decided", { pauseId: pause.pauseId }),
      );
      expect(first?.outcome).toBe("added");
      const again = await store.addApproval(
        vote(pause.pauseId, "alice@example.com", 2),
        auditFixture("pause.decided", { pauseId: pause.pauseId }),
      );
      expect(again?.outcome).toBe("duplicate");
      const second = await store.addApproval(
        { ...vote(pause.pauseId, "bob@example.com", 3), data: { amount: 10 } },
        auditFixture("pause.decided", { pauseId: pause.pauseId }),
      );
      expect(second?.approvals.map((approval) => approval.identity)).toEqual([
        "alice@example.com",
        "bob@example.com",
      ]);
      expect(second?.approvals[1]?.data).toEqual({ amount: 10 });
      expect(await store.listApprovals(pause.pauseId)).toEqual(second?.approvals);
      const audit = await store.listAudit({ pauseId: pause.pauseId, limit: 10 });
      expect(audit).toHaveLength(2);
    });

    it("records one vote per identity under 30 concurrent calls", async () => {
      const { store } = harness;
      const pause = pauseFixture();
      await store.createPause(pause, { audit: [] });
      const results = await Promise.all(
        Array.from({ length: 30 }, (_, index) =>
          store.addApproval(
            vote(pause.pauseId, `person-${index % 3}@example.com`),
            auditFixture("pause.decided", { pauseId: pause.pauseId }),
          ),
        ),
      );
      expect(results.filter((result) => result?.outcome === "added")).toHaveLength(3);
      expect(await store.listApprovals(pause.pauseId)).toHaveLength(3);
    });

    it("refuses votes on a decided pause and answers null for a missing one", async () => {
      const { store } = harness;
      const pause = pauseFixture({ status: "rejected" });
      await store.createPause(pause, { audit: [] });
      const result = await store.addApproval(
        vote(pause.pauseId, "alice@example.com"),
        auditFixture("pause.decided", { pauseId: pause.pauseId }),
      );
      expect(result).toEqual({ outcome: "not_pending", approvals: [] });
      expect(
        await store.addApproval(
          vote("pau_missing", "alice@example.com"),
          auditFixture("pause.decided", { pauseId: null }),
        ),
      ).toBeNull();
    });

    it("notifies subscribers when a vote is added", async () => {
      const { store } = harness;
      const pause = pauseFixture();
      await store.createPause(pause, { audit: [] });
      const seen: string[] = [];
      const unsubscribe = store.subscribe((pauseId) => seen.push(pauseId));
      await store.addApproval(
        vote(pause.pauseId, "alice@example.com"),
        auditFixture("pause.decided", { pauseId: pause.pauseId }),
      );
      await waitUntil(() => seen.includes(pause.pauseId));
      unsubscribe();
    });
  });

  describe("identities", () => {
    it("puts, replaces, finds by Slack user, lists and deletes", async () => {
      const { store } = harness;
      await store.putIdentity(identity());
      await store.putIdentity(
        identity({
          identity: "bob@example.com",
          email: "bob@example.com",
          slackUserId: null,
          teamsUserId: null,
          groups: [],
        }),
      );
      expect(await store.getIdentity("alice@example.com")).toEqual(identity());
      expect((await store.findIdentityBySlackUser("U0ALICE"))?.identity).toBe("alice@example.com");
      await store.putIdentity(identity({ displayName: "Alice A.", groups: ["finance"], updatedAt: at(5) }));
      expect(await store.getIdentity("alice@example.com")).toMatchObject({
        displayName: "Alice A.",
        groups: ["finance"],
        createdAt: at(0),
      });
      expect((await store.listIdentities()).map((entry) => entry.identity)).toEqual([
        "alice@example.com",
        "bob@example.com",
      ]);
      expect(await store.deleteIdentity("bob@example.com")).toBe(true);
      expect(await store.deleteIdentity("bob@example.com")).toBe(false);
      expect(await store.getIdentity("bob@example.com")).toBeNull();
      expect(await store.findIdentityBySlackUser("U0NOBODY")).toBeNull();
    });

    it("finds by Teams user, and forgets the mapping when it is cleared", async () => {
      const { store } = harness;
      const teamsUserId = "8d6c1f0e-3b1a-4c55-9a8e-2f4b7c9d0e11";
      await store.putIdentity(identity());
      await store.putIdentity(
        identity({ identity: "bob@example.com", slackUserId: null, teamsUserId: null, groups: [] }),
      );
      expect(await store.findIdentityByTeamsUser(teamsUserId)).toEqual(identity());
      expect((await store.getIdentity("bob@example.com"))?.teamsUserId).toBeNull();
      expect(await store.findIdentityByTeamsUser("00000000-0000-0000-0000-000000000000")).toBeNull();
      await store.putIdentity(identity({ teamsUserId: null, updatedAt: at(5) }));
      expect(await store.findIdentityByTeamsUser(teamsUserId)).toBeNull();
      // The account is free again: another identity may take it.
      await store.putIdentity(identity({ identity: "bob@example.com", slackUserId: null, teamsUserId }));
      expect((await store.findIdentityByTeamsUser(teamsUserId))?.identity).toBe("bob@example.com");
    });
  });

  describe("single-use tokens", () => {
    it("is consumed once, also under 20 concurrent calls", async () => {
      const { store } = harness;
      const expires = new Date(Date.now() + 3_600_000).toISOString();
      expect(await store.consumeToken("link-1", expires)).toBe(true);
      expect(await store.consumeToken("link-1", expires)).toBe(false);
      const results = await Promise.all(
        Array.from({ length: 20 }, () => store.consumeToken("link-2", expires)),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
    });
  });

  describe("audit head", () => {
    it("is null on an empty log and then the newest event", async () => {
      const { store } = harness;
      expect(await store.auditHead()).toBeNull();
      await store.appendAudit(auditFixture("pause.viewed", { pauseId: null }));
      const last = await store.appendAudit(auditFixture("pause.viewed", { pauseId: null }));
      expect(await store.auditHead()).toEqual(last);
    });
  });
}

async function waitUntil(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) expect.fail("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Escalation due times: handed out once each, only while pending. */
export function describeEscalationConformance(harness: StoreHarness): void {
  describe("escalation claims", () => {
    it("hands out each due pending pause once, soonest first, and keeps the rest", async () => {
      const { store } = harness;
      const later = pauseFixture({ escalateAt: at(120) });
      const soon = pauseFixture({ escalateAt: at(60) });
      const notYet = pauseFixture({ escalateAt: at(600) });
      const decided = pauseFixture({ escalateAt: at(30), status: "approved" });
      const none = pauseFixture();
      for (const pause of [later, soon, notYet, decided, none]) await store.createPause(pause, { audit: [] });
      expect((await store.getPause(soon.pauseId))?.escalateAt).toBe(at(60));
      const claimed = await store.claimDueEscalations(at(300), 10);
      expect(claimed.map((pause) => pause.pauseId)).toEqual([soon.pauseId, later.pauseId]);
      expect(await store.claimDueEscalations(at(300), 10)).toEqual([]);
      expect((await store.getPause(soon.pauseId))?.escalateAt ?? null).toBeNull();
      expect((await store.claimDueEscalations(at(900), 10)).map((pause) => pause.pauseId)).toEqual([
        notYet.pauseId,
      ]);
    });

    it("never hands one pause to two concurrent callers", async () => {
      const { store } = harness;
      const pauses = Array.from({ length: 12 }, (_, index) => pauseFixture({ escalateAt: at(index) }));
      for (const pause of pauses) await store.createPause(pause, { audit: [] });
      const batches = await Promise.all(
        Array.from({ length: 4 }, () => store.claimDueEscalations(at(100), 5)),
      );
      const ids = batches.flat().map((pause) => pause.pauseId);
      expect(ids).toHaveLength(12);
      expect(new Set(ids).size).toBe(12);
    });
  });
}
