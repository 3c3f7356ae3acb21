import type { AuditEvent } from "../protocol/audit-event.ts";
import type { AuditInput } from "../store/records.ts";
import { auditLeafHash, chainAuditEvent } from "./audit-chain.ts";
import { appendLeaves } from "./merkle-frontier.ts";
import type { MerkleNode } from "./merkle-hash.ts";

/** The sealed end of the log: what the next batch links to. */
export interface SealedHead {
  /** `seq` and `hash` of the newest sealed event; `null` for the empty log. */
  head: { seq: number; hash: string } | null;
  /** The Merkle tree's right edge for `head.seq` leaves (`frontierIds`). */
  frontier: MerkleNode[];
}

/**
 * Seals a batch: gives each event, in the order given, the next `seq`, links
 * it into the hash chain and adds its leaf to the Merkle tree. Returns the
 * events, every complete subtree to store (leaves included) and the new head.
 * Pure and synchronous: both stores call it inside their sealing transaction.
 */
export function sealAuditEvents(
  sealed: SealedHead,
  pending: readonly { eventId: string; input: AuditInput }[],
): { events: AuditEvent[]; nodes: MerkleNode[]; sealed: SealedHead } {
  const events: AuditEvent[] = [];
  let previous = sealed.head;
  for (const { eventId, input } of pending) {
    const event = chainAuditEvent(previous, input, eventId);
    events.push(event);
    previous = event;
  }
  const size = sealed.head?.seq ?? 0;
  const grown = appendLeaves(sealed.frontier, size, events.map(auditLeafHash));
  return {
    events,
    nodes: grown.nodes,
    sealed: { head: previous, frontier: grown.frontier },
  };
}

/** Adds already-chained events (a log sealed before the Merkle tree existed) to the tree. */
export function treeNodesFor(
  frontier: readonly MerkleNode[],
  size: number,
  events: readonly AuditEvent[],
): { nodes: MerkleNode[]; frontier: MerkleNode[] } {
  return appendLeaves(frontier, size, events.map(auditLeafHash));
}
