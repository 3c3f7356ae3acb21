import { createHash } from "node:crypto";
import { canonicalJson } from "../proof/canonical-json.ts";
import type { AuditEvent } from "../protocol/audit-event.ts";
import { newId } from "../protocol/ids.ts";
import type { AuditInput } from "../store/records.ts";

/** `prev_hash` of the first event. */
export const GENESIS_HASH = `sha256:${"0".repeat(64)}`;

/** `sha256:` + hex SHA-256 of `prev_hash` followed by the JCS of the event without its `hash`. */
export function auditEventHash(event: Omit<AuditEvent, "hash">): string {
  return `sha256:${createHash("sha256").update(event.prev_hash).update(canonicalJson(event)).digest("hex")}`;
}

/**
 * The next link of the chain. Synchronous on purpose, so a store can compute
 * it inside a database transaction without yielding.
 */
export function nextAuditEvent(
  previous: { seq: number; hash: string } | null,
  input: AuditInput,
): AuditEvent {
  const unhashed: Omit<AuditEvent, "hash"> = {
    seq: (previous?.seq ?? 0) + 1,
    event_id: newId("auditEvent"),
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
