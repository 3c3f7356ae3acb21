import { beforeAll, describe, expect, it } from "vitest";
import { toBase64Url } from "../proof/encoding.ts";
import { generateEd25519Jwk, loadSigningKeys, publicJwkOf } from "../proof/signing-keys.ts";
import type { AuditEvent } from "../protocol/audit-event.ts";
import type { JwkSet } from "../protocol/keys.ts";
import { auditEventHash, auditLeafHash, nextAuditEvent } from "./audit-chain.ts";
import {
  type AuditTreeHead,
  checkpointSigningInput,
  signCheckpoint,
  verifyCheckpoint,
} from "./audit-checkpoint.ts";
import { appendLeaves, frontierRoot } from "./merkle-frontier.ts";
import { formatHash } from "./merkle-hash.ts";
import { verifyAuditLog } from "./verify-audit-log.ts";

let key: { kid: string; privateKey: CryptoKey };
let keys: JwkSet;

beforeAll(async () => {
  const jwk = await generateEd25519Jwk();
  const signing = await loadSigningKeys({ secret: "s".repeat(32), ed25519: jwk });
  key = signing.ed25519;
  keys = { keys: [await publicJwkOf(jwk)] };
});

/** A genuine chain of `count` events, as a store writes it. */
function chain(count: number): AuditEvent[] {
  const events: AuditEvent[] = [];
  for (let index = 0; index < count; index++) {
    events.push(
      nextAuditEvent(events.at(-1) ?? null, {
        type: index === 0 ? "pause.opened" : "pause.notified",
        pauseId: "pau_1",
        agentId: "billing-agent",
        actor: { kind: "system", id: "test" },
        at: new Date(Date.UTC(2026, 10, 21, 10, 0, index)).toISOString(),
        data: { n: index },
      }),
    );
  }
  return events;
}

/** The tree head of the log's first `size` events, as a store computes it. */
function treeOf(events: AuditEvent[], size = events.length): AuditTreeHead {
  const covered = events.slice(0, size);
  return {
    size,
    headHash: covered.at(-1)!.hash,
    rootHash: formatHash(frontierRoot(appendLeaves([], 0, covered.map(auditLeafHash)).frontier)),
  };
}

/** Recomputes an edited event's hash, as a careful forger would. */
function rehash(event: AuditEvent): AuditEvent {
  const { hash: _hash, ...unhashed } = event;
  return { ...event, hash: auditEventHash(unhashed) };
}

describe("verifyAuditLog", () => {
  it("accepts a genuine log and one that still matches a signed checkpoint", async () => {
    const events = chain(6);
    expect(await verifyAuditLog(events)).toMatchObject({ valid: true, count: 6, size: 6, problem: null });
    const checkpoint = await signCheckpoint(treeOf(events, 4), key, new Date());
    const result = await verifyAuditLog(events, { keys, checkpoint });
    expect(result).toMatchObject({ valid: true, checkpoint: { size: 4, head_hash: events[3]!.hash } });
    expect(await verifyAuditLog([])).toMatchObject({ valid: true, size: 0 });
  });

  it("catches an edited event", async () => {
    const events = chain(5);
    events[2] = { ...events[2]!, data: { n: 99 } };
    expect((await verifyAuditLog(events)).problem).toMatchObject({ kind: "edited", seq: 3, line: 3 });
  });

  it("catches an edited event whose hash was recomputed, at the link that breaks", async () => {
    const events = chain(5);
    events[2] = rehash({ ...events[2]!, data: { n: 99 } });
    expect((await verifyAuditLog(events)).problem).toMatchObject({ kind: "edited", seq: 3 });
  });

  it("catches a dropped event, in the middle or at the start", async () => {
    const events = chain(5);
    expect((await verifyAuditLog([...events.slice(0, 2), ...events.slice(3)])).problem).toMatchObject({
      kind: "dropped",
      seq: 3,
      line: 3,
    });
    expect((await verifyAuditLog(events.slice(1))).problem).toMatchObject({ kind: "dropped", seq: 1 });
  });

  it("catches an inserted event, even one that links correctly to its predecessor", async () => {
    const events = chain(5);
    const forged = nextAuditEvent(events[1]!, {
      type: "pause.decided",
      pauseId: "pau_1",
      agentId: "billing-agent",
      actor: { kind: "human", id: "mallory@example.com" },
      at: events[1]!.at,
      data: { decision: "approved" },
    });
    const tampered = [...events.slice(0, 2), forged, ...events.slice(2)];
    expect((await verifyAuditLog(tampered)).problem).toMatchObject({ kind: "inserted", seq: 3 });
  });

  it("catches reordered events", async () => {
    const events = chain(5);
    const swapped = [events[0]!, events[2]!, events[1]!, events[3]!, events[4]!];
    expect((await verifyAuditLog(swapped)).problem).toMatchObject({ kind: "reordered", seq: 2, line: 3 });
  });

  it("catches a truncated log against a checkpoint, though the rest of the chain is intact", async () => {
    const events = chain(6);
    const checkpoint = await signCheckpoint(treeOf(events), key, new Date());
    const truncated = events.slice(0, 4);
    expect((await verifyAuditLog(truncated)).valid).toBe(true);
    expect((await verifyAuditLog(truncated, { keys, checkpoint })).problem).toMatchObject({
      kind: "truncated",
      seq: 5,
    });
  });

  it("catches a log rewritten after a checkpoint, every hash recomputed", async () => {
    const events = chain(4);
    const checkpoint = await signCheckpoint(treeOf(events), key, new Date());
    const rewritten: AuditEvent[] = [events[0]!];
    for (const event of events.slice(1)) {
      rewritten.push(
        rehash({
          ...event,
          data: event.seq === 2 ? { n: 42 } : event.data,
          prev_hash: rewritten.at(-1)!.hash,
        }),
      );
    }
    expect((await verifyAuditLog(rewritten)).valid).toBe(true);
    expect((await verifyAuditLog(rewritten, { keys, checkpoint })).problem).toMatchObject({
      kind: "checkpoint_mismatch",
      seq: 4,
    });
  });

  it("refuses a checkpoint with a forged signature, an unknown key or no keys", async () => {
    const events = chain(3);
    const checkpoint = await signCheckpoint(treeOf(events), key, new Date());
    const inflated = { ...checkpoint, size: 2, head_hash: events[1]!.hash };
    expect((await verifyAuditLog(events, { keys, checkpoint: inflated })).problem?.kind).toBe(
      "checkpoint_invalid",
    );
    const other = await publicJwkOf(await generateEd25519Jwk());
    expect((await verifyCheckpoint(checkpoint, [other])).ok).toBe(false);
    expect((await verifyAuditLog(events, { checkpoint })).problem?.kind).toBe("checkpoint_invalid");
  });

  it("still checks a v1 checkpoint (chain head only), saved before the Merkle log", async () => {
    const events = chain(4);
    const unsigned = {
      v: 1,
      size: 3,
      head_hash: events[2]!.hash,
      at: new Date().toISOString(),
      kid: key.kid,
    } as const;
    const sig = await crypto.subtle.sign(
      { name: "Ed25519" },
      key.privateKey,
      checkpointSigningInput(unsigned),
    );
    const v1 = { ...unsigned, sig: toBase64Url(sig) };
    expect(await verifyAuditLog(events, { keys, checkpoint: v1 })).toMatchObject({ valid: true });
    expect((await verifyAuditLog(events.slice(0, 2), { keys, checkpoint: v1 })).problem?.kind).toBe(
      "truncated",
    );
  });

  it("catches a rewrite that kept the chain head but not the Merkle root", async () => {
    const events = chain(4);
    const checkpoint = await signCheckpoint(
      { ...treeOf(events), rootHash: formatHash(Buffer.alloc(32, 7)) },
      key,
      new Date(),
    );
    expect((await verifyAuditLog(events, { keys, checkpoint })).problem).toMatchObject({
      kind: "checkpoint_mismatch",
      seq: 4,
    });
  });

  it("reports an entry that is not an audit event by its line", async () => {
    const events: unknown[] = chain(3);
    events[1] = { seq: 2, hello: "world" };
    expect((await verifyAuditLog(events)).problem).toMatchObject({ kind: "malformed", line: 2 });
  });
});
