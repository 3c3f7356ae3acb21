import { canonicalJson } from "../proof/canonical-json.ts";
import { sha256Hex } from "../proof/encoding.ts";
import type { AuditCheckpoint } from "../protocol/audit-checkpoint.ts";
import { type AuditEvent, AuditEventSchema } from "../protocol/audit-event.ts";
import type { JwkSet, PublicJwk } from "../protocol/keys.ts";
import { auditLeafHash, GENESIS_HASH } from "./audit-chain.ts";
import { verifyCheckpoint } from "./audit-checkpoint.ts";
import { appendLeaves, frontierRoot } from "./merkle-frontier.ts";
import { formatHash } from "./merkle-hash.ts";

export type AuditProblemKind =
  | "malformed"
  | "edited"
  | "dropped"
  | "inserted"
  | "reordered"
  | "truncated"
  | "checkpoint_mismatch"
  | "checkpoint_invalid";

export interface AuditProblem {
  kind: AuditProblemKind;
  /** The event where the chain breaks, when there is one. */
  seq: number | null;
  /** 1-based position in the given list (the line of a JSON Lines export). */
  line: number | null;
  message: string;
}

export interface AuditVerification {
  valid: boolean;
  /** Events checked. */
  count: number;
  /** `seq` and `hash` of the last event (`0` and the genesis hash for an empty log). */
  size: number;
  headHash: string;
  /** Whether a checkpoint was given and matched. */
  checkpoint: AuditCheckpoint | null;
  problem: AuditProblem | null;
}

export interface VerifyAuditLogOptions {
  /** Public keys (`GET /v1/keys`); needed to check a checkpoint. */
  keys?: JwkSet | readonly PublicJwk[];
  /** A signed checkpoint the log must still match (detects truncation and rewriting). */
  checkpoint?: unknown;
  /**
   * The events are a contiguous slice of the log (an evidence bundle), not
   * the whole log from `seq` 1: the first event's `prev_hash` is taken as given.
   */
  segment?: boolean;
}

/**
 * Verifies an audit log offline: every event's hash, every link, the `seq`
 * order, and, with a checkpoint, that the log still holds what was signed.
 * Reports the first problem: an edited, dropped, inserted or reordered
 * event, or a log truncated or rewritten since the checkpoint.
 */
export async function verifyAuditLog(
  input: readonly unknown[],
  options: VerifyAuditLogOptions = {},
): Promise<AuditVerification> {
  const events: AuditEvent[] = [];
  for (const [index, value] of input.entries()) {
    const parsed = AuditEventSchema.safeParse(value);
    if (!parsed.success) {
      const fields = parsed.error.issues.map((issue) => issue.path.join(".") || "(event)").join(", ");
      return failed(events, problem("malformed", null, index, `Not an audit event (at ${fields})`));
    }
    events.push(parsed.data);
  }
  const order = checkOrder(events, options.segment === true);
  if (order) return failed(events, order);
  const links = await checkLinks(events, options.segment === true);
  if (links) return failed(events, links);
  const last = events.at(-1);
  const result: AuditVerification = {
    valid: true,
    count: events.length,
    size: last?.seq ?? 0,
    headHash: last?.hash ?? GENESIS_HASH,
    checkpoint: null,
    problem: null,
  };
  if (options.checkpoint === undefined) return result;
  const against = await checkCheckpoint(events, options.checkpoint, options.keys);
  if ("kind" in against) return { ...result, valid: false, problem: against };
  return { ...result, checkpoint: against };
}

function problem(
  kind: AuditProblemKind,
  seq: number | null,
  index: number | null,
  message: string,
): AuditProblem {
  return { kind, seq, line: index === null ? null : index + 1, message };
}

function failed(events: AuditEvent[], found: AuditProblem): AuditVerification {
  const last = events.at(-1);
  return {
    valid: false,
    count: events.length,
    size: last?.seq ?? 0,
    headHash: last?.hash ?? GENESIS_HASH,
    checkpoint: null,
    problem: found,
  };
}

/** `seq` must run 1, 2, 3, … (or from the segment's first): a repeat, a step back or a gap tells what happened. */
function checkOrder(events: AuditEvent[], segment: boolean): AuditProblem | null {
  const firstLine = new Map<number, number>();
  for (const [index, event] of events.entries()) {
    const earlier = firstLine.get(event.seq);
    if (earlier !== undefined) {
      return problem(
        "inserted",
        event.seq,
        index,
        `Two events claim seq ${event.seq} (lines ${earlier + 1} and ${index + 1}): one was inserted`,
      );
    }
    firstLine.set(event.seq, index);
  }
  for (let index = 1; index < events.length; index++) {
    const previous = events[index - 1]!;
    const event = events[index]!;
    if (event.seq < previous.seq) {
      return problem(
        "reordered",
        event.seq,
        index,
        `Event seq ${event.seq} comes after seq ${previous.seq}: the events were reordered`,
      );
    }
  }
  const first = events[0];
  if (first && !segment && first.seq !== 1) {
    return problem(
      "dropped",
      1,
      0,
      `The log starts at seq ${first.seq}: events 1 to ${first.seq - 1} are missing`,
    );
  }
  for (let index = 1; index < events.length; index++) {
    const previous = events[index - 1]!;
    const event = events[index]!;
    if (event.seq !== previous.seq + 1) {
      const missing =
        event.seq === previous.seq + 2
          ? `event ${previous.seq + 1} is`
          : `events ${previous.seq + 1} to ${event.seq - 1} are`;
      return problem(
        "dropped",
        previous.seq + 1,
        index,
        `After seq ${previous.seq} comes ${event.seq}: ${missing} missing`,
      );
    }
  }
  return null;
}

async function checkLinks(events: AuditEvent[], segment: boolean): Promise<AuditProblem | null> {
  for (const [index, event] of events.entries()) {
    const { hash, ...unhashed } = event;
    const expected = `sha256:${await sha256Hex(event.prev_hash + canonicalJson(unhashed))}`;
    if (expected !== hash) {
      return problem(
        "edited",
        event.seq,
        index,
        `Event seq ${event.seq} was changed: its hash does not match its content`,
      );
    }
    const previous = events[index - 1];
    if (previous === undefined) {
      if (!segment && event.prev_hash !== GENESIS_HASH) {
        return problem("edited", event.seq, index, `Event seq ${event.seq} does not start the chain`);
      }
    } else if (event.prev_hash !== previous.hash) {
      return problem(
        "edited",
        previous.seq,
        index - 1,
        `Event seq ${event.seq} does not link to seq ${previous.seq}: seq ${previous.seq} was changed and re-hashed, or replaced`,
      );
    }
  }
  return null;
}

async function checkCheckpoint(
  events: AuditEvent[],
  input: unknown,
  keys: VerifyAuditLogOptions["keys"],
): Promise<AuditCheckpoint | AuditProblem> {
  if (!keys) return problem("checkpoint_invalid", null, null, "Public keys are needed to check a checkpoint");
  const checked = await verifyCheckpoint(input, keys);
  if (!checked.ok) return problem("checkpoint_invalid", null, null, checked.message);
  const { checkpoint } = checked;
  const size = events.at(-1)?.seq ?? 0;
  if (checkpoint.size > size) {
    return problem(
      "truncated",
      size + 1,
      null,
      `The checkpoint of ${checkpoint.at} covers ${checkpoint.size} events but the log ends at seq ${size}: events were removed`,
    );
  }
  const headHash =
    checkpoint.size === 0 ? GENESIS_HASH : events.find((event) => event.seq === checkpoint.size)?.hash;
  if (headHash === undefined) {
    return problem(
      "checkpoint_mismatch",
      checkpoint.size,
      null,
      `The log does not reach seq ${checkpoint.size} of the checkpoint`,
    );
  }
  if (checkpoint.v === 2 && events[0]?.seq === 1 && checkpoint.size > 0) {
    // The Merkle root is over the log from its first event: a rewrite anywhere before `size` changes it.
    const covered = events.slice(0, checkpoint.size);
    const root = formatHash(frontierRoot(appendLeaves([], 0, covered.map(auditLeafHash)).frontier));
    if (root !== checkpoint.root_hash) {
      return problem(
        "checkpoint_mismatch",
        checkpoint.size,
        null,
        `The first ${checkpoint.size} events do not have the Merkle root the checkpoint of ${checkpoint.at} signed: the log was rewritten`,
      );
    }
  }
  if (headHash !== checkpoint.head_hash) {
    return problem(
      "checkpoint_mismatch",
      checkpoint.size,
      null,
      `Event seq ${checkpoint.size} is not the one the checkpoint of ${checkpoint.at} signed: the log was rewritten`,
    );
  }
  return checkpoint;
}
