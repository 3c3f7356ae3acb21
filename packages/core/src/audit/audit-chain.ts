import { createHash } from "node:crypto";
import { canonicalJson } from "../proof/canonical-json.ts";
import type { AuditEvent } from "../protocol/audit-event.ts";
import { newId } from "../protocol/ids.ts";
import type { AuditInput } from "../store/records.ts";
import { type Hash, merkleLeafHash } from "./merkle-hash.ts";

/** `prev_hash` of the first event. */
export const GENESIS_HASH = `sha256:${"0".repeat(64)}`;

/** `sha256:` + hex SHA-256 of `prev_hash` followed by the JCS of the event without its `hash`. */
export function auditEventHash(event: Omit<AuditEvent, "hash">): string {
  return `sha256:${createHash("sha256").update(event.prev_hash).update(canonicalJson(event)).digest("hex")}`;
}

/** The event's leaf in the Merkle tree: RFC 9162 leaf hash of the JCS of the whole event. */
export function auditLeafHash(event: AuditEvent): Hash {
  return merkleLeafHash(canonicalJson(event));
}

/**
 * Links one event into the chain after `previous`, under a given event id (a
 * store that inserts events before sealing them keeps the id it inserted).
 * Synchronous on purpose, so a store can compute it inside a transaction.
 */
export function chainAuditEvent(
  previous: { seq: number; hash: string } | null,
  input: AuditInput,
  eventId: string,
): AuditEvent {
  const unhashed: Omit<AuditEvent, "hash"> = {
    seq: (previous?.seq ?? 0) + 1,
    event_id: eventId,
    type: input.type,
    pause_id: input.pauseId,
    agent_id: input.agentId,
    actor: input.actor,
    at: input.at,
    data: input.data as AuditEvent["data"],
    prev_hash: previous?.hash ?? GENESIS_HASH,
  };
  return { ...unhashed, hash: auditEventHash(unhashed) };
}

/** The next link of the chain, with a fresh event id. */
export function nextAuditEvent(
  previous: { seq: number; hash: string } | null,
  input: AuditInput,
): AuditEvent {
  return chainAuditEvent(previous, input, newId("auditEvent"));
}
