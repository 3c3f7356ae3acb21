import { describe, expect, it } from "vitest";
import { auditLeafHash } from "../audit/audit-chain.ts";
import { proveConsistency, proveInclusion, readTreeHead } from "../audit/audit-tree.ts";
import { appendLeaves, frontierRoot } from "../audit/merkle-frontier.ts";
import { formatHash, parseHash } from "../audit/merkle-hash.ts";
import { verifyConsistency, verifyInclusion } from "../audit/merkle-proofs.ts";
import type { AuditEvent } from "../protocol/audit-event.ts";
import type { Store } from "../store/store.ts";
import {
  at,
  auditFixture,
  decisionFixture,
  expectValidChain,
  openPause,
  pauseFixture,
  type StoreHarness,
} from "./store-conformance-fixtures.ts";

async function everyEvent(store: Store): Promise<AuditEvent[]> {
  const events: AuditEvent[] = [];
  for (;;) {
    const page = await store.listAudit({
      limit: 1_000,
      ...(events.length > 0 && { afterSeq: events.at(-1)!.seq }),
    });
    events.push(...page);
    if (page.length < 1_000) return events;
  }
}

function rootOf(events: readonly AuditEvent[]): string {
  return formatHash(frontierRoot(appendLeaves([], 0, events.map(auditLeafHash)).frontier));
}

/** The sealing rules: one chain and one Merkle tree, whoever writes, with no gap and no duplicate. */
export function describeSealingConformance(harness: StoreHarness): void {
  describe("audit sealing", () => {
    it("seals writes from two instances at once into one valid chain: no gap, no duplicate, none lost", async () => {
      const open = harness.openAnother;
      const other = open ? await open() : harness.store;
      const stores = [harness.store, other];
      const written = await Promise.all(
        Array.from({ length: 60 }, async (_, index) => {
          const store = stores[index % 2]!;
          if (index % 3 === 0) {
            const pause = await openPause(store);
            const decided = await store.decide(pause.pauseId, decisionFixture(pause, "approved"), {
              audit: [auditFixture("pause.decided", { pauseId: pause.pauseId, data: { index } })],
            });
            expect(decided?.ok).toBe(true);
            return [`${pause.pauseId} pause.opened`, `${pause.pauseId} pause.decided`];
          }
          const event = await store.appendAudit(auditFixture("pause.viewed", { data: { index } }));
          expect(event.seq).toBeGreaterThan(0);
          return [`viewed ${index}`];
        }),
      );
      for (const reader of stores) {
        const events = await everyEvent(reader);
        expectValidChain(events);
        const seen = events.map((event) =>
          event.type === "pause.viewed" ? `viewed ${event.data.index}` : `${event.pause_id} ${event.type}`,
        );
        expect(new Set(seen).size).toBe(seen.length);
        expect(new Set(seen)).toEqual(new Set(written.flat()));
        expect(new Set(events.map((event) => event.event_id)).size).toBe(events.length);
        expect((await readTreeHead(reader)).rootHash).toBe(rootOf(events));
      }
    });

    it("leaves no gap where a write rolled back", async () => {
      await openPause(harness.store);
      const broken = pauseFixture();
      await expect(
        harness.store.createPause(broken, {
          audit: [auditFixture("pause.opened", { pauseId: broken.pauseId, at: "not a time" })],
        }),
      ).rejects.toThrow();
      await openPause(harness.store);
      const events = await everyEvent(harness.store);
      expect(events.map((event) => event.seq)).toEqual([1, 2]);
      expectValidChain(events);
      expect(await harness.store.getPause(broken.pauseId)).toBeNull();
    });

    it("keeps a Merkle tree whose proofs place every event and show each older tree a prefix of the newer", async () => {
      for (let index = 0; index < 7; index++) {
        await harness.store.appendAudit(auditFixture("pause.notified", { data: { index } }));
      }
      const older = await readTreeHead(harness.store);
      for (let index = 7; index < 13; index++) {
        await harness.store.appendAudit(auditFixture("pause.notified", { data: { index } }));
      }
      const newer = await readTreeHead(harness.store);
      const events = await everyEvent(harness.store);
      expect(newer).toMatchObject({ size: 13, headHash: events.at(-1)!.hash, rootHash: rootOf(events) });
      expect(older).toMatchObject({ size: 7, rootHash: rootOf(events.slice(0, 7)) });

      const root = parseHash(newer.rootHash)!;
      const proofs = await proveInclusion(
        harness.store,
        events.map((event) => event.seq),
        newer.size,
      );
      events.forEach((event, index) => {
        const path = proofs[index]!.map((hex) => Buffer.from(hex, "hex"));
        expect(verifyInclusion(event.seq - 1, newer.size, auditLeafHash(event), path, root)).toBe(true);
      });
      const consistency = (await proveConsistency(harness.store, 7, 13)).map((hex) =>
        Buffer.from(hex, "hex"),
      );
      expect(verifyConsistency(7, 13, parseHash(older.rootHash)!, root, consistency)).toBe(true);
      expect(verifyConsistency(7, 13, parseHash(rootOf(events.slice(1, 8)))!, root, consistency)).toBe(false);
    });
  });

  describe("leases", () => {
    it("gives a free lease to exactly one of many concurrent takers, renews it for its holder, and hands it over once it ran out", async () => {
      const open = harness.openAnother;
      const other = open ? await open() : harness.store;
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, index) =>
          (index % 2 === 0 ? harness.store : other).acquireLease("sweep", `holder-${index}`, at(0), 5_000),
        ),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      const holder = `holder-${results.indexOf(true)}`;
      const stranger = holder === "holder-1" ? "holder-2" : "holder-1";
      expect(await harness.store.acquireLease("sweep", holder, at(3), 5_000)).toBe(true);
      expect(await other.acquireLease("sweep", stranger, at(7), 5_000)).toBe(false);
      expect(await other.acquireLease("sweep", stranger, at(8), 5_000)).toBe(true);
      expect(await harness.store.acquireLease("sweep", holder, at(9), 5_000)).toBe(false);
      expect(await harness.store.acquireLease("another-job", holder, at(9), 5_000)).toBe(true);
    });
  });
}
