import { describe, expect, it } from "vitest";
import { GENESIS_HASH } from "../audit/audit-chain.ts";
import type { AuditEvent } from "../protocol/audit-event.ts";
import type { ApiKeyRecord } from "../store/records.ts";
import {
  allAuditEvents,
  at,
  auditFixture,
  decisionFixture,
  deliveryFixture,
  expectValidChain,
  openPause,
  type StoreHarness,
} from "./store-conformance-fixtures.ts";

const seqs = (events: AuditEvent[]) => events.map((event) => event.seq);

export function describeAuditConformance(harness: StoreHarness): void {
  describe("audit", () => {
    it("numbers events from 1 and links each to the hash of the one before", async () => {
      const first = await harness.store.appendAudit(auditFixture("pause.viewed", { data: { n: 1 } }));
      const second = await harness.store.appendAudit(auditFixture("pause.viewed", { data: { n: 2 } }));
      expect(first).toMatchObject({ seq: 1, prev_hash: GENESIS_HASH, type: "pause.viewed", data: { n: 1 } });
      expect(second).toMatchObject({ seq: 2, prev_hash: first.hash });
      const stored = await allAuditEvents(harness.store);
      expect(stored).toEqual([first, second]);
      expectValidChain(stored);
    });

    it("keeps one unforked chain under 50 concurrent appends", async () => {
      await Promise.all(
        Array.from({ length: 50 }, (_, index) =>
          harness.store.appendAudit(auditFixture("pause.notified", { data: { index } })),
        ),
      );
      const stored = await allAuditEvents(harness.store);
      expect(stored).toHaveLength(50);
      expectValidChain(stored);
      expect(new Set(stored.map((event) => event.data.index))).toEqual(
        new Set(Array.from({ length: 50 }, (_, i) => i)),
      );
    });

    it("chains the events every operation appends into one verifiable log", async () => {
      const pause = await openPause(harness.store);
      await harness.store.updateRouting(pause.pauseId, { group: "finance" }, [
        auditFixture("pause.routed", { pauseId: pause.pauseId }),
      ]);
      const delivery = deliveryFixture(pause.pauseId);
      await harness.store.decide(pause.pauseId, decisionFixture(pause, "approved"), {
        delivery,
        audit: [auditFixture("pause.decided", { pauseId: pause.pauseId })],
      });
      await harness.store.claim(
        pause.pauseId,
        at(100),
        auditFixture("pause.claimed", { pauseId: pause.pauseId }),
      );
      await harness.store.recordDeliveryAttempt(
        { deliveryId: delivery.deliveryId, attempt: 1, at: at(101), status: 200, error: null, durationMs: 1 },
        { status: "delivered", nextAttemptAt: null },
        auditFixture("webhook.delivered", { pauseId: pause.pauseId }),
      );
      await harness.store.redeliver(
        delivery.deliveryId,
        at(200),
        auditFixture("webhook.redelivered", { pauseId: pause.pauseId }),
      );
      await harness.store.appendAudit(auditFixture("pause.viewed", { pauseId: pause.pauseId }));

      const stored = await allAuditEvents(harness.store);
      expectValidChain(stored);
      expect(stored.map((event) => event.type)).toEqual([
        "pause.opened",
        "pause.routed",
        "pause.decided",
        "pause.claimed",
        "webhook.delivered",
        "webhook.redelivered",
        "pause.viewed",
      ]);
    });

    it("filters by pause, agent, actor, type and time, and pages with afterSeq", async () => {
      const human = { kind: "human", id: "alice@example.com" } as const;
      await harness.store.appendAudit(
        auditFixture("pause.opened", { pauseId: "pau_a", agentId: "agent-a", at: at(1) }),
      );
      await harness.store.appendAudit(
        auditFixture("pause.viewed", { pauseId: "pau_a", actor: human, at: at(2) }),
      );
      await harness.store.appendAudit(
        auditFixture("pause.opened", { pauseId: "pau_b", agentId: "agent-b", at: at(3) }),
      );
      await harness.store.appendAudit(
        auditFixture("pause.decided", { pauseId: "pau_b", actor: human, at: at(4) }),
      );
      await harness.store.appendAudit(
        auditFixture("pause.decided", { pauseId: "pau_a", actor: human, at: at(5) }),
      );
      const list = async (query: object) => seqs(await harness.store.listAudit({ limit: 100, ...query }));

      expect(await list({})).toEqual([1, 2, 3, 4, 5]);
      expect(await list({ pauseId: "pau_a" })).toEqual([1, 2, 5]);
      expect(await list({ agentId: "agent-b" })).toEqual([3]);
      expect(await list({ actorId: "alice@example.com" })).toEqual([2, 4, 5]);
      expect(await list({ type: "pause.decided" })).toEqual([4, 5]);
      expect(await list({ since: at(1.5), until: at(4.5) })).toEqual([2, 3, 4]);
      expect(await list({ pauseId: "pau_a", type: "pause.decided", actorId: "alice@example.com" })).toEqual([
        5,
      ]);

      const pages: number[][] = [];
      let afterSeq: number | undefined;
      for (;;) {
        const page = seqs(await harness.store.listAudit({ limit: 2, afterSeq }));
        if (page.length === 0 || pages.length > 5) break;
        pages.push(page);
        afterSeq = page.at(-1);
      }
      expect(pages).toEqual([[1, 2], [3, 4], [5]]);
    });
  });

  describe("settings", () => {
    it("answers null for an unknown setting and keeps the first value written", async () => {
      expect(await harness.store.getSetting("signing_keys")).toBeNull();
      expect(await harness.store.putSettingIfAbsent("signing_keys", "first")).toBe("first");
      expect(await harness.store.putSettingIfAbsent("signing_keys", "second")).toBe("first");
      expect(await harness.store.getSetting("signing_keys")).toBe("first");
    });

    it("gives every concurrent writer the one value that won", async () => {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, index) =>
          harness.store.putSettingIfAbsent("proof_secret", `value-${index}`),
        ),
      );
      const stored = await harness.store.getSetting("proof_secret");
      expect(stored).toMatch(/^value-\d+$/);
      expect(new Set(results)).toEqual(new Set([stored]));
    });
  });

  describe("API keys", () => {
    const agentKey: ApiKeyRecord = {
      keyId: "key_agent",
      hash: "1".repeat(64),
      role: "agent",
      identity: null,
      name: "billing agent",
      agentIds: null,
      actionTypes: null,
      createdAt: at(0),
      revokedAt: null,
    };
    const approverKey: ApiKeyRecord = {
      keyId: "key_approver",
      hash: "2".repeat(64),
      role: "approver",
      identity: "alice@example.com",
      name: null,
      agentIds: null,
      actionTypes: null,
      createdAt: at(1),
      revokedAt: null,
    };
    const byId = (keys: ApiKeyRecord[]) => [...keys].sort((a, b) => (a.keyId < b.keyId ? -1 : 1));

    it("creates, finds by hash and lists keys", async () => {
      await harness.store.createApiKey(agentKey);
      await harness.store.createApiKey(approverKey);
      expect(await harness.store.findApiKeyByHash(approverKey.hash)).toEqual(approverKey);
      expect(await harness.store.findApiKeyByHash("3".repeat(64))).toBeNull();
      expect(byId(await harness.store.listApiKeys())).toEqual(byId([agentKey, approverKey]));
    });

    it("revokes a key, still finds it with its revocation time, and says false for an unknown key", async () => {
      await harness.store.createApiKey(agentKey);
      expect(await harness.store.revokeApiKey(agentKey.keyId, at(60))).toBe(true);
      expect(await harness.store.findApiKeyByHash(agentKey.hash)).toEqual({ ...agentKey, revokedAt: at(60) });
      expect(await harness.store.listApiKeys()).toEqual([{ ...agentKey, revokedAt: at(60) }]);
      expect(await harness.store.revokeApiKey("key_unknown", at(60))).toBe(false);
    });
  });
}
